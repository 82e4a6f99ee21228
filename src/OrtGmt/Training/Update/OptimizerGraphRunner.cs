using Microsoft.ML.OnnxRuntime;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// Runs optimizer_model over host flat buffers. Every input and output is bound once to pinned
/// arrays; a step sets the learning rate and t, runs, and copies the updated θ and state back
/// (a graph cannot write its outputs over its inputs).
/// </summary>
internal sealed class OptimizerGraphRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _run = new();
    private readonly List<OrtValue> _values = [];
    private readonly float[] _parameters;
    private readonly float[] _parametersOut;
    private readonly Dictionary<string, (float[] Buffer, float[] Out)> _state = [];
    private readonly double[] _learningRate = new double[1];
    private readonly float[] _step = new float[1];
    private readonly bool[] _freeze = new bool[1];

    public OptimizerGraphRunner(InferenceSession session, OptimizerKind kind, AdamWOptions adamW, SgdOptions sgd,
        float[] parameters, float[] gradients, bool[] mask)
    {
        _session = session;
        Kind = kind;
        _parameters = parameters;
        int n = parameters.Length;
        _parametersOut = new float[n];
        string[] buffers = kind == OptimizerKind.AdamW ? [AdamW.ExpAvgName, AdamW.ExpAvgSqName] : [Sgd.MomentumBufferName];
        foreach (var b in buffers) _state[b] = (new float[n], new float[n]);

        _binding = session.CreateIoBinding();
        Input(OptimizerGraphs.Params, parameters, [n]);
        Input(OptimizerGraphs.Grads, gradients, [n]);
        Input(OptimizerGraphs.GradientMask, mask, [n]);
        Input(OptimizerGraphs.Freeze, _freeze, []);
        Input(OptimizerGraphs.LearningRate, _learningRate, []);
        Output(OptimizerGraphs.Params + OptimizerGraphs.OutSuffix, _parametersOut, [n]);
        foreach (var (name, (buffer, output)) in _state)
        {
            Input(name, buffer, [n]);
            Output(name + OptimizerGraphs.OutSuffix, output, [n]);
        }
        if (kind == OptimizerKind.AdamW)
        {
            Input(OptimizerGraphs.WeightDecay, new[] { adamW.WeightDecay }, []);
            Input(OptimizerGraphs.StepInput, _step, []);
            Input(OptimizerGraphs.Beta1, new[] { adamW.Beta1 }, []);
            Input(OptimizerGraphs.Beta2, new[] { adamW.Beta2 }, []);
            Input(OptimizerGraphs.Epsilon, new[] { adamW.Epsilon }, []);
        }
        else
        {
            Input(OptimizerGraphs.WeightDecay, new[] { sgd.WeightDecay }, []);
            Input(OptimizerGraphs.Momentum, new[] { sgd.Momentum }, []);
        }
    }

    private void Input<T>(string name, T[] data, long[] shape) where T : unmanaged => _binding.BindInput(name, Wrap(data, shape));

    private void Output<T>(string name, T[] data, long[] shape) where T : unmanaged => _binding.BindOutput(name, Wrap(data, shape));

    private OrtValue Wrap<T>(T[] data, long[] shape) where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _values.Add(value);
        return value;
    }

    public OptimizerKind Kind { get; }

    public long StepCount { get; private set; }

    /// <summary>
    /// One step over the bound buffers with the mask they hold now: entries the mask drops are left
    /// as they are when <paramref name="freeze"/>, else updated with a zero gradient.
    /// </summary>
    public void Step(double learningRate, bool freeze)
    {
        StepCount++;
        _freeze[0] = freeze;
        _learningRate[0] = learningRate;
        _step[0] = StepCount;
        _session.RunWithBinding(_run, _binding);
        _parametersOut.AsSpan().CopyTo(_parameters);
        foreach (var (_, (buffer, output)) in _state) output.AsSpan().CopyTo(buffer);
    }

    public OptimizerState ExportState() => new(Kind, StepCount, _state.ToDictionary(kv => kv.Key, kv => kv.Value.Buffer));

    public void ImportState(OptimizerState state)
    {
        foreach (var (name, (buffer, _)) in _state) state.CopyInto(Kind, name, buffer);
        StepCount = state.Step;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var v in _values) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
