namespace OrtGmt.Data.Batching;

/// <summary>
/// One micro-batch in the batch contract: row-major [BatchSize, SeqLen] int64 arrays.
/// <see cref="Labels"/>[b, t] is the target of logits[b, t] (−100 = ignored, including padding and
/// each sequence's last position); <see cref="AttentionMask"/> is 1 for real tokens, 0 for padding,
/// which is on the right with the tokenizer's PAD id.
/// </summary>
public sealed class Batch
{
    /// <summary>Creates an all-padding batch.</summary>
    public Batch(int batchSize, int seqLen, long padId)
    {
        BatchSize = batchSize;
        SeqLen = seqLen;
        InputIds = new long[batchSize * seqLen];
        Labels = new long[batchSize * seqLen];
        AttentionMask = new long[batchSize * seqLen];
        Array.Fill(InputIds, padId);
        Array.Fill(Labels, Tokenization.EncodedSample.Ignore);
    }

    /// <summary>Rows.</summary>
    public int BatchSize { get; }

    /// <summary>Columns (tokens per row).</summary>
    public int SeqLen { get; }

    /// <summary>Token ids [BatchSize, SeqLen].</summary>
    public long[] InputIds { get; }

    /// <summary>Targets aligned with logits [BatchSize, SeqLen].</summary>
    public long[] Labels { get; }

    /// <summary>1 = real token, 0 = padding [BatchSize, SeqLen].</summary>
    public long[] AttentionMask { get; }

    /// <summary>The tensor shape, for OrtValue creation.</summary>
    public long[] Shape => [BatchSize, SeqLen];

    /// <summary>Number of positions with a real target (the loss's denominator).</summary>
    public int TargetCount => Labels.Count(l => l != Tokenization.EncodedSample.Ignore);

    /// <summary>Dataset indices of the samples in each row (several per row when packed).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Rows { get; internal set; } = [];
}
