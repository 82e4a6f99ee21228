using OrtGmt.Errors;
using OrtGmt.Layout;
using OrtGmt.SafeTensors;

namespace OrtGmt.Training.Checkpoints;

/// <summary>Moves parameters between a flat buffer and a safetensors file keyed by initializer name.</summary>
public static class ParameterFile
{
    /// <summary>Reads <paramref name="path"/> into a new flat buffer laid out as <paramref name="parameters"/>; every parameter must be present with its shape.</summary>
    public static float[] Read(string path, IReadOnlyList<ParameterEntry> parameters)
    {
        var tensors = SafeTensorsFile.ReadDictionary(path);
        long total = parameters.Count == 0 ? 0 : parameters[^1].Offset + parameters[^1].Numel;
        var flat = new float[total];
        foreach (var p in parameters)
        {
            if (!tensors.TryGetValue(p.Name, out var t))
                throw new InvalidFileException(path, $"parameter '{p.Name}' is missing");
            if (!t.Shape.SequenceEqual(p.Shape))
                throw new InvalidFileException(path, $"parameter '{p.Name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", p.Shape)}]");
            t.CopyTo(flat.AsSpan((int)p.Offset, (int)p.Numel));
        }
        return flat;
    }

    /// <summary>Writes the flat buffer as one float32 tensor per parameter (atomically).</summary>
    public static void Write(string path, ReadOnlySpan<float> flat, IReadOnlyList<ParameterEntry> parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = new List<SafeTensor>(parameters.Count);
        foreach (var p in parameters) tensors.Add(SafeTensor.FromFloats(p.Name, p.Shape, flat.Slice((int)p.Offset, (int)p.Numel)));
        SafeTensorsFile.Write(path, tensors, metadata);
    }
}
