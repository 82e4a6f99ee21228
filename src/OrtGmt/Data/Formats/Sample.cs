namespace OrtGmt.Data.Formats;

/// <summary>
/// One parsed JSONL line in a format-independent shape: a conversation (every SFT format becomes
/// user → assistant turns), plain text for pretraining, or a preference pair for DPO, whose
/// <see cref="Messages"/> hold the prompt only.
/// </summary>
public sealed record Sample(SampleFormat Format, IReadOnlyList<ChatMessage> Messages)
{
    /// <summary>Pretraining text (format <see cref="SampleFormat.Text"/>), trained as a whole.</summary>
    public string? Text { get; init; }

    /// <summary>The preferred response of a DPO pair.</summary>
    public string? Chosen { get; init; }

    /// <summary>The dispreferred response of a DPO pair.</summary>
    public string? Rejected { get; init; }

    /// <summary>Where the sample came from (file path), for messages.</summary>
    public string? Source { get; init; }

    /// <summary>1-based line in <see cref="Source"/>.</summary>
    public long Line { get; init; }

    /// <summary>A user → assistant conversation.</summary>
    public static Sample Exchange(SampleFormat format, string user, string assistant) =>
        new(format, [new ChatMessage(ChatMessage.User, user), new ChatMessage(ChatMessage.Assistant, assistant)]);
}
