using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;

namespace OrtGmt.Training.GraphRunners;

/// <summary>Runs the eval graph (forward + loss) over the same flat parameter buffer as training.</summary>
internal sealed class EvalGraphRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ArtifactManifest _manifest;
    private readonly FlatViews _params;
    private readonly float[] _out = new float[3];
    private readonly OrtValue[] _outValues;
    private readonly RunOptions _runOptions = new();
    private readonly ShapeBindingsCache _shapes = new();
    private readonly BatchInputs _inputs;

    public EvalGraphRunner(InferenceSession session, BatchInputs inputs, ArtifactManifest manifest, FlatViews parameters)
    {
        _session = session;
        _manifest = manifest;
        _params = parameters;
        _outValues = [.. Enumerable.Range(0, 3).Select(i => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_out, i, 1), []))];
        _inputs = inputs;
    }

    /// <summary>Loss (mean over kept tokens), its sum and the kept-token count of one batch.</summary>
    public (float Loss, float LossSum, float Tokens) Run(Batch batch)
    {
        var shape = _shapes.Load(batch);
        var binding = shape.Binding(0) ?? shape.Store(0, Bind(shape));
        _session.RunWithBinding(_runOptions, binding);
        return (_out[0], _out[1], _out[2]);
    }

    private OrtIoBinding Bind(ShapeBindings shape)
    {
        var b = shape.BindInputs(_session, _inputs, _manifest.Parameters, _params);
        b.BindOutput(_manifest.Loss, _outValues[0]);
        b.BindOutput(ArtifactContract.LossSum, _outValues[1]);
        b.BindOutput(ArtifactContract.TokenCount, _outValues[2]);
        return b;
    }

    public void Dispose()
    {
        _shapes.Dispose();
        foreach (var v in _outValues) v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
