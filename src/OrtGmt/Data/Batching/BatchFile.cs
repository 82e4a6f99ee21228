using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.SafeTensors;

namespace OrtGmt.Data.Batching;

/// <summary>A <see cref="Batch"/> stored as safetensors: input_ids and labels int64 [batch, seq], optional attention_mask.</summary>
public static class BatchFile
{
    /// <summary>Reads and checks a batch file.</summary>
    public static Batch Read(string path)
    {
        var tensors = SafeTensorsFile.ReadDictionary(path);
        SafeTensor Get(string name) => tensors.TryGetValue(name, out var t)
            ? t : throw new InvalidFileException(path, $"batch has no '{name}' tensor (it has: {string.Join(", ", tensors.Keys)})");
        var ids = Get(ArtifactContract.InputIds);
        var labels = Get(ArtifactContract.Labels);
        string Shape(SafeTensor t) => $"[{string.Join(", ", t.Shape)}]";
        if (ids.Shape.Length != 2) throw new InvalidFileException(path, $"'{ArtifactContract.InputIds}' must be [batch, seq], it is {Shape(ids)}");
        if (!labels.Shape.SequenceEqual(ids.Shape)) throw new InvalidFileException(path, $"'{ArtifactContract.Labels}' shape {Shape(labels)} differs from {ArtifactContract.InputIds} {Shape(ids)}");
        CheckIntegers(path, ids);
        CheckIntegers(path, labels);
        long[]? attentionMask = null;
        if (tensors.TryGetValue(ArtifactContract.AttentionMask, out var m))
        {
            if (!m.Shape.SequenceEqual(ids.Shape)) throw new InvalidFileException(path, $"'{ArtifactContract.AttentionMask}' shape {Shape(m)} differs from {ArtifactContract.InputIds} {Shape(ids)}");
            CheckIntegers(path, m);
            attentionMask = m.ToInt64s();
        }
        return new Batch(ids.ToInt64s(), labels.ToInt64s(), attentionMask, checked((int)ids.Shape[0]), checked((int)ids.Shape[1]));
    }

    /// <summary>Writes a batch file.</summary>
    public static void Write(string path, Batch batch)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var tensors = new List<SafeTensor>
        {
            SafeTensor.FromInt64s(ArtifactContract.InputIds, shape, batch.InputIds),
            SafeTensor.FromInt64s(ArtifactContract.Labels, shape, batch.Labels),
        };
        if (batch.AttentionMask is { } m) tensors.Add(SafeTensor.FromInt64s(ArtifactContract.AttentionMask, shape, m));
        SafeTensorsFile.Write(path, tensors);
    }

    private static void CheckIntegers(string path, SafeTensor t)
    {
        if (t.DType is not (SafeTensorDType.I64 or SafeTensorDType.I32)) throw new InvalidFileException(path, $"'{t.Name}' must be I64, it is {t.DType}");
    }
}
