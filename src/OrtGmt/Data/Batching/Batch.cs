using OrtGmt.Artifacts;
using OrtGmt.Errors;

namespace OrtGmt.Data.Batching;

/// <summary>
/// One micro-batch in the batch contract (<see cref="ArtifactContract"/>): row-major int64 arrays of
/// shape [<see cref="BatchSize"/>, <see cref="SequenceLength"/>]. <see cref="Labels"/>[b, t] is the
/// target of logits[b, t], <see cref="ArtifactContract.IgnoreIndex"/> where the position does not
/// count (padding, prompt tokens, each sequence's last position). <see cref="AttentionMask"/> is 1
/// for real tokens and 0 for padding, which is on the right; null means every position is a token.
/// </summary>
public sealed record Batch(long[] InputIds, long[] Labels, long[]? AttentionMask, int BatchSize, int SequenceLength)
{
    /// <summary>A batch of padding only (PAD ids, ignored labels, attention mask 0), for a batcher to fill.</summary>
    public static Batch Padding(int batchSize, int sequenceLength, long padId, IReadOnlyList<IReadOnlyList<int>>? rows = null)
    {
        int n = checked(batchSize * sequenceLength);
        var ids = new long[n];
        var labels = new long[n];
        Array.Fill(ids, padId);
        Array.Fill(labels, ArtifactContract.IgnoreIndex);
        return new Batch(ids, labels, new long[n], batchSize, sequenceLength) { Rows = rows ?? [] };
    }

    /// <summary>Dataset indices of the samples in each row (several per row when packed; empty when not from a dataset).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Rows { get; init; } = [];

    /// <summary>Number of positions whose label counts in the loss.</summary>
    public int TargetCount
    {
        get
        {
            int count = 0;
            foreach (long label in Labels) if (label != ArtifactContract.IgnoreIndex) count++;
            return count;
        }
    }

    /// <summary>Checks the arrays against the shape and the ids and labels against a vocabulary of <paramref name="vocab"/> tokens.</summary>
    /// <exception cref="OrtGmtException">A length, an id or a label is wrong; the message names the tensor and position.</exception>
    public void Validate(int vocab)
    {
        long n = (long)BatchSize * SequenceLength;
        if (BatchSize <= 0 || SequenceLength <= 0) throw new OrtGmtException($"batch shape [{BatchSize}, {SequenceLength}] is empty");
        Check(ArtifactContract.InputIds, InputIds.Length, n);
        Check(ArtifactContract.Labels, Labels.Length, n);
        if (AttentionMask is not null) Check(ArtifactContract.AttentionMask, AttentionMask.Length, n);
        for (int i = 0; i < n; i++)
        {
            if ((ulong)InputIds[i] >= (ulong)vocab)
                throw new OrtGmtException($"{ArtifactContract.InputIds}[{i / SequenceLength}, {i % SequenceLength}] = {InputIds[i]} is outside the vocabulary [0, {vocab})");
            if (Labels[i] != ArtifactContract.IgnoreIndex && (ulong)Labels[i] >= (ulong)vocab)
                throw new OrtGmtException($"{ArtifactContract.Labels}[{i / SequenceLength}, {i % SequenceLength}] = {Labels[i]} is neither {ArtifactContract.IgnoreIndex} nor inside the vocabulary [0, {vocab})");
        }
    }

    private void Check(string name, int length, long expected)
    {
        if (length != expected) throw new OrtGmtException($"{name} has {length} values, expected {expected} for [{BatchSize}, {SequenceLength}]");
    }
}
