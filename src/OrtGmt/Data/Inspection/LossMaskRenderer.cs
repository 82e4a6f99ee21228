using System.Text;
using OrtGmt.Data.Tokenization;
using OrtGmt.Tokenizers;

namespace OrtGmt.Data.Inspection;

/// <summary>A run of consecutive tokens that share a trained flag, decoded to text.</summary>
public readonly record struct TokenRun(string Text, bool Trained);

/// <summary>
/// Shows a sample's loss mask as text: trained runs between <c>[[</c> and <c>]]</c>, special ids
/// without a text spelling as <c>&lt;bos&gt;</c>, <c>&lt;eos&gt;</c>, <c>&lt;pad&gt;</c>.
/// </summary>
public static class LossMaskRenderer
{
    /// <summary>Marks the start of trained text.</summary>
    public const string Open = "[[";

    /// <summary>Marks the end of trained text.</summary>
    public const string Close = "]]";

    /// <summary>The sample split into decoded runs of equal trained flag.</summary>
    public static IReadOnlyList<TokenRun> Runs(EncodedSample sample, ITextTokenizer tokenizer)
    {
        var runs = new List<TokenRun>();
        var pending = new List<int>();
        bool? flag = null;
        var text = new StringBuilder();

        void FlushIds()
        {
            if (pending.Count > 0) text.Append(tokenizer.Decode(pending));
            pending.Clear();
        }

        void FlushRun()
        {
            FlushIds();
            if (flag is { } f && text.Length > 0) runs.Add(new TokenRun(text.ToString(), f));
            text.Clear();
        }

        for (int t = 0; t < sample.Length; t++)
        {
            if (flag != sample.Trained[t])
            {
                FlushRun();
                flag = sample.Trained[t];
            }
            int id = sample.Ids[t];
            string? name = tokenizer is ByteTokenizer ? id switch
            {
                ByteTokenizer.Bos => "<bos>",
                ByteTokenizer.Eos => "<eos>",
                ByteTokenizer.Pad => "<pad>",
                _ => null,
            } : null;
            if (name is null)
            {
                pending.Add(id);
                continue;
            }
            FlushIds();
            text.Append(name);
        }
        FlushRun();
        return runs;
    }

    /// <summary>The whole sample as one string with trained runs bracketed.</summary>
    public static string Render(EncodedSample sample, ITextTokenizer tokenizer) =>
        string.Concat(Runs(sample, tokenizer).Select(r => r.Trained ? Open + r.Text + Close : r.Text));
}
