namespace OrtGmt.Data.Batching;

/// <summary>How a <see cref="Batcher"/> orders, groups and shapes batches.</summary>
public sealed record BatcherOptions
{
    /// <summary>Rows per micro-batch.</summary>
    public int MicroBatchSize { get; init; } = 8;

    /// <summary>Longest row (the packing budget; also the width with <see cref="PadToMax"/>).</summary>
    public int MaxSeq { get; init; } = 256;

    /// <summary>Seed of the per-epoch shuffle.</summary>
    public ulong Seed { get; init; }

    /// <summary>Shuffle the order each epoch (false: file order).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Put rows of similar length in the same batch (less padding); batches are then shuffled.</summary>
    public bool GroupByLength { get; init; }

    /// <summary>
    /// Pack several samples into one row up to <see cref="MaxSeq"/>. Opt-in: the built-in model has a
    /// padding attention mask only, so tokens of one packed sample can attend to the samples before it in the row.
    /// Labels never cross samples.
    /// </summary>
    public bool Packing { get; init; }

    /// <summary>Pad every batch to <see cref="MaxSeq"/> (fixed shapes) instead of its longest row.</summary>
    public bool PadToMax { get; init; }

    /// <summary>Leave out the last, smaller micro-batch of an epoch.</summary>
    public bool DropLast { get; init; }
}
