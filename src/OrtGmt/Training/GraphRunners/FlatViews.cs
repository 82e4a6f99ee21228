using Microsoft.ML.OnnxRuntime;
using OrtGmt.Layout;

namespace OrtGmt.Training.GraphRunners;

/// <summary>
/// One OrtValue per parameter over its slice of a flat buffer (no copies: ONNX Runtime reads and
/// writes the managed array in place, pinned while the views live).
/// </summary>
internal sealed class FlatViews : IDisposable
{
    private readonly OrtValue[] _values;

    /// <summary>The flat buffer the views cover.</summary>
    public float[] Buffer { get; }

    public FlatViews(float[] buffer, IReadOnlyList<ParameterEntry> parameters)
    {
        Buffer = buffer;
        _values = new OrtValue[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            _values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                new Memory<float>(buffer, checked((int)p.Offset), checked((int)p.Numel)), p.Shape);
        }
    }

    public OrtValue this[int index] => _values[index];

    public void Dispose()
    {
        foreach (var v in _values) v.Dispose();
    }
}
