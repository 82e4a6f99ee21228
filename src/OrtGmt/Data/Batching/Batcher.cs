using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Data.Batching;

/// <summary>
/// Yields micro-batches of an <see cref="IEncodedDataset"/>, epoch after epoch. Each epoch's plan
/// (shuffle, packing, length grouping) is computed from (seed, epoch) alone, so a batcher built
/// from a saved <see cref="DataCursor"/> continues with exactly the batches the first one would have.
/// </summary>
public sealed class Batcher
{
    /// <summary>Micro-batches per length group when grouping by length.</summary>
    private const int LengthGroupBatches = 50;

    private readonly IEncodedDataset _data;
    private readonly long _padId;
    private List<int[][]> _plan = [];
    private int _planEpoch = -1;

    /// <summary>Creates a batcher at the start, or at <paramref name="cursor"/>.</summary>
    public Batcher(IEncodedDataset data, BatcherOptions options, long padId, DataCursor? cursor = null)
    {
        if (options.MicroBatchSize < 1) throw new ConfigException("micro_batch_size", $"must be at least 1, got {options.MicroBatchSize}");
        if (options.MaxSeq < 2) throw new ConfigException("max_seq", $"must be at least 2, got {options.MaxSeq}");
        if (data.Count == 0) throw new OrtGmtException("the dataset has no samples to train on");
        for (int i = 0; i < data.Count; i++)
        {
            if (data.LengthOf(i) > options.MaxSeq)
                throw new ConfigException("max_seq", $"sample {i} has {data.LengthOf(i)} tokens, more than the batcher's max_seq {options.MaxSeq}");
        }
        _data = data;
        _padId = padId;
        Options = options;
        if (cursor is not null && cursor.SampleCount != data.Count)
            throw new OrtGmtException($"the data cursor was saved for {cursor.SampleCount} samples but the dataset has {data.Count}: resuming on other data");
        Epoch = cursor?.Epoch ?? 0;
        Position = cursor?.Position ?? 0;
        EnsurePlan();
        if (Position > _plan.Count) throw new OrtGmtException($"data cursor position {Position} is past the {_plan.Count} batches of epoch {Epoch}");
    }

    /// <summary>The options.</summary>
    public BatcherOptions Options { get; }

    /// <summary>The current epoch (0-based).</summary>
    public int Epoch { get; private set; }

    /// <summary>Micro-batches of the current epoch already handed out.</summary>
    public long Position { get; private set; }

    /// <summary>Micro-batches in the current epoch.</summary>
    public int BatchesPerEpoch => _plan.Count;

    /// <summary>The position to save in a checkpoint.</summary>
    public DataCursor Cursor => new(Epoch, Position, _data.Count);

    /// <summary>The next micro-batch (moving to the next epoch when this one is done).</summary>
    public Batch Next()
    {
        if (Position >= _plan.Count)
        {
            Epoch++;
            Position = 0;
            EnsurePlan();
        }
        var rows = _plan[(int)Position++];
        return Build(rows);
    }

    private void EnsurePlan()
    {
        if (_planEpoch == Epoch) return;
        _plan = Plan(Epoch);
        _planEpoch = Epoch;
        if (_plan.Count == 0) throw new OrtGmtException($"no full micro-batch of {Options.MicroBatchSize} in {_data.Count} samples with drop-last");
    }

    private List<int[][]> Plan(int epoch)
    {
        var rng = Rng.ForStream(Options.Seed, $"data/epoch/{epoch}");
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (Options.Shuffle) rng.Shuffle<int>(order);

        var rows = Options.Packing ? Pack(order) : order.Select(i => new[] { i }).ToList();
        int micro = Options.MicroBatchSize;
        var batches = new List<int[][]>();
        if (Options.GroupByLength)
        {
            int group = micro * LengthGroupBatches;
            for (int g = 0; g < rows.Count; g += group)
            {
                var sorted = rows.Skip(g).Take(group).OrderByDescending(RowLength).ToList();
                for (int b = 0; b < sorted.Count; b += micro) batches.Add([.. sorted.Skip(b).Take(micro)]);
            }
            if (Options.DropLast) batches.RemoveAll(b => b.Length < micro);
            if (Options.Shuffle) rng.Shuffle<int[][]>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
            return batches;
        }
        for (int b = 0; b < rows.Count; b += micro) batches.Add([.. rows.Skip(b).Take(micro)]);
        if (Options.DropLast) batches.RemoveAll(b => b.Length < micro);
        return batches;
    }

    private int RowLength(int[] row) => row.Sum(_data.LengthOf);

    /// <summary>Next-fit packing in epoch order: a row is closed when the next sample would not fit.</summary>
    private List<int[]> Pack(int[] order)
    {
        var rows = new List<int[]>();
        var current = new List<int>();
        int length = 0;
        foreach (int i in order)
        {
            int n = _data.LengthOf(i);
            if (length + n > Options.MaxSeq && current.Count > 0)
            {
                rows.Add([.. current]);
                current.Clear();
                length = 0;
            }
            current.Add(i);
            length += n;
        }
        if (current.Count > 0) rows.Add([.. current]);
        return rows;
    }

    private Batch Build(int[][] rows)
    {
        var samples = rows.Select(r => r.Select(_data.Get).ToArray()).ToArray();
        int seq = Options.PadToMax ? Options.MaxSeq : samples.Max(r => r.Sum(s => s.Length));
        var batch = Batch.Padding(rows.Length, seq, _padId, rows);
        for (int b = 0; b < rows.Length; b++)
        {
            int t = b * seq;
            foreach (var s in samples[b])
            {
                for (int k = 0; k < s.Length; k++)
                {
                    batch.InputIds[t + k] = s.Ids[k];
                    batch.AttentionMask![t + k] = 1;
                }
                s.WriteLabels(batch.Labels.AsSpan(t, s.Length));
                t += s.Length;
            }
        }
        return batch;
    }
}
