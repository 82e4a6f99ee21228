using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;

namespace OrtGmt.Training.GraphRunners;

/// <summary>
/// Runs the training graph over flat buffers: parameters in, loss and gradients out. The first
/// micro-batch after a reset writes its gradients straight into the accumulator; later ones write
/// into a scratch buffer that is added in, so accumulation over N micro-batches costs one vector
/// add per extra micro-batch and nothing at N = 1.
/// </summary>
internal sealed class TrainingGraphRunner : IDisposable
{
    private const int DirectKey = 0;
    private const int ScratchKey = 1;

    private readonly InferenceSession _session;
    private readonly ArtifactManifest _manifest;
    private readonly FlatViews _params;
    private readonly FlatViews _grads;
    private readonly FlatViews _scratch;
    private readonly float[] _loss = new float[1];
    private readonly OrtValue _lossValue;
    private readonly RunOptions _runOptions = new();
    private readonly ShapeBindingsCache _shapes = new();
    private readonly BatchInputs _inputs;

    public TrainingGraphRunner(InferenceSession session, BatchInputs inputs, ArtifactManifest manifest, FlatViews parameters, float[] gradients)
    {
        _session = session;
        _manifest = manifest;
        _params = parameters;
        _grads = new FlatViews(gradients, manifest.Parameters);
        _scratch = new FlatViews(new float[gradients.Length], manifest.Parameters);
        _lossValue = OrtValue.CreateTensorValueFromMemory(_loss, []);
        _inputs = inputs;
    }

    /// <summary>Forward and backward on one micro-batch; returns its loss.</summary>
    public float Run(Batch batch, bool accumulate)
    {
        var shape = _shapes.Load(batch);
        int key = accumulate ? ScratchKey : DirectKey;
        var binding = shape.Binding(key) ?? shape.Store(key, Bind(shape, accumulate ? _scratch : _grads));
        _session.RunWithBinding(_runOptions, binding);
        if (accumulate) TensorPrimitives.Add(_grads.Buffer, _scratch.Buffer, _grads.Buffer);
        return _loss[0];
    }

    private OrtIoBinding Bind(ShapeBindings shape, FlatViews gradientTarget)
    {
        var b = shape.BindInputs(_session, _inputs, _manifest.Parameters, _params);
        for (int i = 0; i < _manifest.Parameters.Length; i++) b.BindOutput(_manifest.Parameters[i].Grad, gradientTarget[i]);
        b.BindOutput(_manifest.Loss, _lossValue);
        return b;
    }

    public void Dispose()
    {
        _shapes.Dispose();
        _grads.Dispose();
        _scratch.Dispose();
        _lossValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
