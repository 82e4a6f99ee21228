using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.SafeTensors;

namespace OrtGmt.Training;

/// <summary>A batch stored as safetensors: input_ids and labels int64 [batch, seq], optional attention_mask.</summary>
public static class BatchFile
{
    /// <summary>Reads and checks a batch file.</summary>
    public static TrainingInputs Read(string path)
    {
        var tensors = SafeTensorsFile.ReadDictionary(path);
        SafeTensor Get(string name) => tensors.TryGetValue(name, out var t)
            ? t : throw new InvalidFileException(path, $"batch has no '{name}' tensor (it has: {string.Join(", ", tensors.Keys)})");
        var ids = Get(ArtifactGenerator.InputIds);
        var labels = Get(CausalLmLoss.Labels);
        if (ids.Shape.Length != 2) throw new InvalidFileException(path, $"'input_ids' must be [batch, seq], it is [{string.Join(", ", ids.Shape)}]");
        if (!labels.Shape.SequenceEqual(ids.Shape)) throw new InvalidFileException(path, $"'labels' shape [{string.Join(", ", labels.Shape)}] differs from input_ids [{string.Join(", ", ids.Shape)}]");
        if (ids.DType is not (SafeTensorDType.I64 or SafeTensorDType.I32)) throw new InvalidFileException(path, $"'input_ids' must be I64, it is {ids.DType}");
        if (labels.DType is not (SafeTensorDType.I64 or SafeTensorDType.I32)) throw new InvalidFileException(path, $"'labels' must be I64, it is {labels.DType}");
        long[] mask = [];
        if (tensors.TryGetValue("attention_mask", out var m))
        {
            if (!m.Shape.SequenceEqual(ids.Shape)) throw new InvalidFileException(path, "'attention_mask' shape differs from input_ids");
            mask = m.ToInt64s();
        }
        return new TrainingInputs(ids.ToInt64s(), labels.ToInt64s(), mask, checked((int)ids.Shape[0]), checked((int)ids.Shape[1]));
    }

    /// <summary>Writes a batch file.</summary>
    public static void Write(string path, in TrainingInputs batch)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var tensors = new List<SafeTensor>
        {
            SafeTensor.FromInt64s(ArtifactGenerator.InputIds, shape, batch.InputIds.Span),
            SafeTensor.FromInt64s(CausalLmLoss.Labels, shape, batch.Labels.Span),
        };
        if (!batch.AttentionMask.IsEmpty) tensors.Add(SafeTensor.FromInt64s("attention_mask", shape, batch.AttentionMask.Span));
        SafeTensorsFile.Write(path, tensors);
    }
}
