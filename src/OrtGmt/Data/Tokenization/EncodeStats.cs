namespace OrtGmt.Data.Tokenization;

/// <summary>Counts of what the encoder did, for the summary a run prints.</summary>
public sealed class EncodeStats
{
    /// <summary>Samples encoded and kept.</summary>
    public long Kept { get; internal set; }

    /// <summary>Samples longer than the limit that were truncated.</summary>
    public long Truncated { get; internal set; }

    /// <summary>Samples longer than the limit that were dropped.</summary>
    public long DroppedTooLong { get; internal set; }

    /// <summary>Samples left without any trained token (e.g. the response was truncated away), dropped.</summary>
    public long DroppedNoTargets { get; internal set; }

    /// <summary>Malformed lines skipped (only with skip-bad).</summary>
    public long SkippedBad { get; internal set; }

    /// <summary>The first few skipped-line messages (file:line: problem).</summary>
    public List<string> SkippedExamples { get; } = [];

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"kept {Kept}, truncated {Truncated}, dropped too long {DroppedTooLong}, dropped without trained tokens {DroppedNoTargets}, skipped bad {SkippedBad}";
}
