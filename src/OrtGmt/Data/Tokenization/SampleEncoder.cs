using OrtGmt.Data.Formats;
using OrtGmt.Data.Templates;
using OrtGmt.Errors;
using OrtGmt.Tokenizers;

namespace OrtGmt.Data.Tokenization;

/// <summary>
/// Renders a <see cref="Sample"/> through the chat template and tokenizes it segment by segment,
/// so each token knows whether it is trained. Segments are tokenized separately: for BPE and
/// SentencePiece the ids at a segment boundary can differ from tokenizing the joined text (the
/// usual prompt/response split of SFT trainers); for the byte tokenizer they are identical.
/// </summary>
public sealed class SampleEncoder
{
    /// <summary>Creates an encoder.</summary>
    public SampleEncoder(ITextTokenizer tokenizer, ChatTemplate template, EncodeOptions options)
    {
        Tokenizer = tokenizer;
        Template = template;
        Options = options;
        if (options.MaxSeq < 2) throw new ConfigException("max_seq", $"must be at least 2, got {options.MaxSeq}");
    }

    /// <summary>The tokenizer.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>The chat template.</summary>
    public ChatTemplate Template { get; }

    /// <summary>The options.</summary>
    public EncodeOptions Options { get; }

    /// <summary>Counts so far.</summary>
    public EncodeStats Stats { get; } = new();

    /// <summary>Tokenizes <paramref name="sample"/> with no length limit (no truncation applied).</summary>
    public EncodedSample EncodeFull(Sample sample)
    {
        if (sample.Format == SampleFormat.Dpo) throw new OrtGmtException($"{Where(sample)}a DPO pair cannot be used for supervised fine-tuning; use EncodeDpo");
        var segments = sample.Text is { } text ? TextSegments(text) : Template.Render(sample.Messages, Tokenizer);
        return Tokenize(segments, sample.Line);
    }

    /// <summary>
    /// Tokenizes <paramref name="sample"/> and applies the length policy: null when the sample is
    /// dropped (too long under Drop, or no trained token left). Counted in <see cref="Stats"/>.
    /// </summary>
    public EncodedSample? Encode(Sample sample)
    {
        var encoded = Limit(EncodeFull(sample), sample);
        if (encoded is null) return null;
        if (encoded.TargetCount == 0)
        {
            Stats.DroppedNoTargets++;
            return null;
        }
        Stats.Kept++;
        return encoded;
    }

    /// <summary>Tokenizes a DPO pair: the prompt untrained, each response trained, both under the length policy.</summary>
    public EncodedDpoPair? EncodeDpo(Sample sample)
    {
        if (sample.Chosen is null || sample.Rejected is null) throw new OrtGmtException($"{Where(sample)}not a DPO pair (needs prompt, chosen, rejected)");
        EncodedSample? Side(string response)
        {
            var messages = sample.Messages.Append(new ChatMessage(ChatMessage.Assistant, response)).ToList();
            return Limit(Tokenize(Template.Render(messages, Tokenizer), sample.Line), sample);
        }
        var chosen = Side(sample.Chosen);
        var rejected = Side(sample.Rejected);
        if (chosen is null || rejected is null) return null;
        Stats.Kept++;
        return new EncodedDpoPair(chosen, rejected);
    }

    /// <summary>The ids of a generation prompt for <paramref name="user"/> (template's assistant start included).</summary>
    public int[] EncodePrompt(string user) =>
        Tokenize(Template.RenderPrompt([new ChatMessage(ChatMessage.User, user)], Tokenizer), 0).Ids;

    /// <summary>The ids of raw text to continue (BOS, then the text; no template): prompts of pretraining-style text.</summary>
    public int[] EncodeRawPrompt(string text)
    {
        var segments = new List<TemplateSegment>();
        if (Tokenizer.BosId is { } bos) segments.Add(TemplateSegment.Special(bos, false));
        segments.Add(TemplateSegment.Of(text, false));
        return Tokenize(segments, 0).Ids;
    }

    private List<TemplateSegment> TextSegments(string text)
    {
        var s = new List<TemplateSegment>();
        if (Tokenizer.BosId is { } bos) s.Add(TemplateSegment.Special(bos, false));
        s.Add(TemplateSegment.Of(text, true));
        if (Tokenizer.EosId is { } eos) s.Add(TemplateSegment.Special(eos, true));
        return s;
    }

    private EncodedSample Tokenize(IReadOnlyList<TemplateSegment> segments, long line)
    {
        var ids = new List<int>();
        var trained = new List<bool>();
        foreach (var segment in segments)
        {
            int[] part = segment.SpecialId is { } id ? [id] : Tokenizer.Encode(segment.Text);
            ids.AddRange(part);
            bool t = segment.Trained || Options.TrainOnInputs;
            for (int i = 0; i < part.Length; i++) trained.Add(t);
        }
        return new EncodedSample([.. ids], [.. trained]) { Line = line };
    }

    private EncodedSample? Limit(EncodedSample e, Sample sample)
    {
        int max = Options.MaxSeq;
        if (e.Length <= max) return e;
        switch (Options.Truncation)
        {
            case TruncationPolicy.Error:
                string message = $"sample has {e.Length} tokens, more than the maximum sequence length {max} (choose --truncation truncate-left, truncate-right or drop, or raise --max-seq)";
                throw new SampleTooLongException(sample.Source ?? "(sample)", message, sample.Line);
            case TruncationPolicy.Drop:
                Stats.DroppedTooLong++;
                return null;
            case TruncationPolicy.TruncateRight:
                Stats.Truncated++;
                return new EncodedSample(e.Ids[..max], e.Trained[..max]) { Line = e.Line };
            default:
                Stats.Truncated++;
                return new EncodedSample(e.Ids[^max..], e.Trained[^max..]) { Line = e.Line };
        }
    }

    private static string Where(Sample s) => s.Source is null ? "" : $"{s.Source}:{s.Line}: ";
}
