using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;

namespace OrtGmt.Training;

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
    private readonly bool _feedsMask;

    public EvalGraphRunner(InferenceSession session, ArtifactManifest manifest, FlatViews parameters)
    {
        _session = session;
        _manifest = manifest;
        _params = parameters;
        _outValues = [.. Enumerable.Range(0, 3).Select(i => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_out, i, 1), []))];
        _feedsMask = ShapeBindings.FeedsMask(session);
    }

    /// <summary>Loss (mean over kept tokens), its sum and the kept-token count of one batch.</summary>
    public (float Loss, float LossSum, float Tokens) Run(in TrainingInputs inputs)
    {
        var shape = _shapes.Load(inputs);
        var binding = shape.Binding(0) ?? shape.Store(0, Bind(shape));
        _session.RunWithBinding(_runOptions, binding);
        return (_out[0], _out[1], _out[2]);
    }

    private OrtIoBinding Bind(ShapeBindings shape)
    {
        var b = shape.BindInputs(_session, _manifest.Parameters, _params, _feedsMask);
        b.BindOutput("loss", _outValues[0]);
        b.BindOutput("loss_sum", _outValues[1]);
        b.BindOutput("token_count", _outValues[2]);
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
