namespace OrtGmt.Data.Tokenization;

/// <summary>How samples become token sequences.</summary>
public sealed record EncodeOptions
{
    /// <summary>Longest sequence kept (tokens); longer samples follow <see cref="Truncation"/>.</summary>
    public int MaxSeq { get; init; } = 256;

    /// <summary>What to do with samples longer than <see cref="MaxSeq"/>.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Error;

    /// <summary>Train on prompt tokens too (every position after the first is a target).</summary>
    public bool TrainOnInputs { get; init; }
}
