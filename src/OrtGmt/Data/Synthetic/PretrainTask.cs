using System.Globalization;
using System.Text;
using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>
/// A "pretraining" corpus of plain text related to the fine-tuning tasks: arithmetic facts, small
/// stories with the same names and items, programs with their output, word facts. A tiny base model
/// pretrained on it learns the vocabulary and formats before fine-tuning. Each text ends with a
/// fact whose value is the checkable answer (the prompt is the text before it).
/// </summary>
public sealed class PretrainTask : ISyntheticTask
{
    /// <summary>The sample kind of pretraining text.</summary>
    public const string TextKind = "text";

    /// <inheritdoc />
    public string Name => "pretrain";

    /// <inheritdoc />
    public SyntheticSample Generate(Rng rng)
    {
        var text = new StringBuilder();
        int facts = Vocab.Between(rng, 2, 4);
        string answer = "";
        for (int i = 0; i < facts; i++)
        {
            if (i > 0) text.Append(rng.NextInt(3) == 0 ? "\n" : " ");
            var (sentence, value) = Fact(rng);
            text.Append(sentence);
            answer = value;
            if (i < facts - 1) text.Append(value).Append('.');
        }
        return new SyntheticSample(TextKind, text.ToString(), text.ToString() + answer, answer);
    }

    /// <inheritdoc />
    public bool IsCorrect(SyntheticSample sample, string modelOutput)
    {
        string o = modelOutput.TrimStart();
        return o.StartsWith(sample.Answer, StringComparison.Ordinal)
            && (o.Length == sample.Answer.Length || !char.IsLetterOrDigit(o[sample.Answer.Length]));
    }

    /// <summary>A sentence missing its final value, and that value.</summary>
    private static (string, string) Fact(Rng rng)
    {
        static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        string name = Vocab.Pick(rng, Vocab.Names), item = Vocab.Pick(rng, Vocab.Items);
        int a = Vocab.Between(rng, 1, 20), b = Vocab.Between(rng, 1, 9);
        switch (rng.NextInt(6))
        {
            case 0: return ($"{a} plus {b} is ", S(a + b));
            case 1: return ($"{a} times {b} is ", S(a * b));
            case 2: return ($"{name} had {a} {item} and got {b} more, so {name} had ", S(a + b));
            case 3: return ($"{a} + {b} = ", S(a + b));
            case 4:
                string w = Vocab.Pick(rng, Vocab.Words);
                return ($"The word {w} backwards is ", new string(w.Reverse().ToArray()));
            default:
                return ($"x = {a}\nprint(x + {b}) prints ", S(a + b));
        }
    }
}
