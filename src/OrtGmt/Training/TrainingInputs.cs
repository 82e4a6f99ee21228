using OrtGmt.Errors;

namespace OrtGmt.Training;

/// <summary>
/// One micro-batch in the batch contract: input_ids and labels int64 [batch, seq], row-major, and
/// an optional attention_mask of the same shape (1 = token, 0 = right padding).
/// </summary>
public readonly record struct TrainingInputs(ReadOnlyMemory<long> InputIds, ReadOnlyMemory<long> Labels, ReadOnlyMemory<long> AttentionMask, int BatchSize, int SequenceLength)
{
    /// <summary>Checks the arrays against the shape and the labels against the vocabulary.</summary>
    public void Validate(int vocab)
    {
        long n = (long)BatchSize * SequenceLength;
        if (BatchSize <= 0 || SequenceLength <= 0) throw new OrtGmtException($"batch shape [{BatchSize}, {SequenceLength}] is empty");
        if (InputIds.Length != n) throw new OrtGmtException($"input_ids has {InputIds.Length} values, expected {n} for [{BatchSize}, {SequenceLength}]");
        if (Labels.Length != n) throw new OrtGmtException($"labels has {Labels.Length} values, expected {n} for [{BatchSize}, {SequenceLength}]");
        if (!AttentionMask.IsEmpty && AttentionMask.Length != n) throw new OrtGmtException($"attention_mask has {AttentionMask.Length} values, expected {n}");
        var ids = InputIds.Span;
        var labels = Labels.Span;
        for (int i = 0; i < n; i++)
        {
            if ((ulong)ids[i] >= (ulong)vocab) throw new OrtGmtException($"input_ids[{i / SequenceLength}, {i % SequenceLength}] = {ids[i]} is outside the vocabulary [0, {vocab})");
            if (labels[i] != -100 && (ulong)labels[i] >= (ulong)vocab) throw new OrtGmtException($"labels[{i / SequenceLength}, {i % SequenceLength}] = {labels[i]} is neither -100 nor inside the vocabulary [0, {vocab})");
        }
    }
}
