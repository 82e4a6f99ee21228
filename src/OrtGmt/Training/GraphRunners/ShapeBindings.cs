using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Layout;

namespace OrtGmt.Training.GraphRunners;

/// <summary>
/// Input buffers for one batch shape and the I/O bindings that use them. Built once per shape and
/// reused, so a training step only copies the batch into pinned arrays and runs: no allocation.
/// </summary>
internal sealed class ShapeBindings : IDisposable
{
    public long[] InputIds { get; }
    public long[] Labels { get; }
    public long[] AttentionMask { get; }
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<int, OrtIoBinding> _bindings = [];

    public OrtValue InputIdsValue { get; }
    public OrtValue LabelsValue { get; }
    public OrtValue AttentionMaskValue { get; }

    public ShapeBindings(int batch, int seq)
    {
        long n = (long)batch * seq;
        long[] shape = [batch, seq];
        InputIds = new long[n];
        Labels = new long[n];
        AttentionMask = new long[n];
        InputIdsValue = Own(OrtValue.CreateTensorValueFromMemory(InputIds, shape));
        LabelsValue = Own(OrtValue.CreateTensorValueFromMemory(Labels, shape));
        AttentionMaskValue = Own(OrtValue.CreateTensorValueFromMemory(AttentionMask, shape));
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }

    /// <summary>The binding stored under <paramref name="key"/>, if made already.</summary>
    public OrtIoBinding? Binding(int key) => _bindings.GetValueOrDefault(key);

    /// <summary>Keeps <paramref name="binding"/> under <paramref name="key"/> (disposed with this object).</summary>
    public OrtIoBinding Store(int key, OrtIoBinding binding)
    {
        _bindings[key] = binding;
        return binding;
    }

    /// <summary>A binding with this shape's data inputs and every parameter view bound; the caller binds the outputs.</summary>
    public OrtIoBinding BindInputs(InferenceSession session, BatchInputs inputs, IReadOnlyList<ParameterEntry> parameters, FlatViews views)
    {
        var b = session.CreateIoBinding();
        b.BindInput(ArtifactContract.InputIds, InputIdsValue);
        b.BindInput(ArtifactContract.Labels, LabelsValue);
        if (inputs.FeedsAttentionMask) b.BindInput(ArtifactContract.AttentionMask, AttentionMaskValue);
        for (int i = 0; i < parameters.Count; i++) b.BindInput(parameters[i].Name, views[i]);
        return b;
    }

    /// <summary>Copies a micro-batch into the pinned buffers; a missing attention mask means all ones.</summary>
    public void Load(Batch batch)
    {
        batch.InputIds.CopyTo(InputIds, 0);
        batch.Labels.CopyTo(Labels, 0);
        if (batch.AttentionMask is { } m) m.CopyTo(AttentionMask, 0);
        else AttentionMask.AsSpan().Fill(1);
    }

    public void Dispose()
    {
        foreach (var b in _bindings.Values) b.Dispose();
        foreach (var d in _owned) d.Dispose();
    }
}

/// <summary>One <see cref="ShapeBindings"/> per batch shape seen, made on first use and kept for the session's life.</summary>
internal sealed class ShapeBindingsCache : IDisposable
{
    private readonly Dictionary<(int, int), ShapeBindings> _shapes = [];

    /// <summary>The bindings of the batch's shape, with <paramref name="batch"/> copied in.</summary>
    public ShapeBindings Load(Batch batch)
    {
        var key = (batch.BatchSize, batch.SequenceLength);
        if (!_shapes.TryGetValue(key, out var s))
        {
            s = new ShapeBindings(batch.BatchSize, batch.SequenceLength);
            _shapes[key] = s;
        }
        s.Load(batch);
        return s;
    }

    public void Dispose()
    {
        foreach (var s in _shapes.Values) s.Dispose();
    }
}
