using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Onnx.Proto;
using OrtGmt.Optimizers;

namespace OrtGmt.Training;

/// <summary>
/// The graph implementation of mask + optimizer: mask_model (GMT's top-k threshold) and
/// optimizer_model run on the session's execution provider, so a device-resident run never
/// brings the gradient to the host. Other mask policies write their mask on the host. Results
/// are written to output buffers and copied back into the flat parameter and state buffers.
/// </summary>
internal sealed class GraphOptimizer : IFlatOptimizer, IDisposable
{
    private readonly ArtifactManifest _manifest;
    private readonly InferenceSession _optimizer;
    private readonly InferenceSession? _maskSession;
    private readonly GmtPolicy? _gmt;
    private readonly MaskedEntryMode _mode;
    private readonly AdamWOptions _adam;
    private readonly SgdOptions _sgd;
    private readonly Dictionary<string, float[]> _state = [];
    private readonly bool[] _mask;
    private readonly long[] _keepCounts;
    private readonly float[] _outParams;
    private readonly Dictionary<string, float[]> _outState = [];
    private readonly RunOptions _run = new();
    private readonly List<IDisposable> _owned = [];
    private readonly float[] _params;
    private readonly float[] _grads;
    private readonly double[] _lr = new double[1];
    private readonly float[] _step = new float[1];
    private string[] _inputNames = [], _outputNames = [], _maskInputNames = [], _maskOutputNames = [];
    private OrtValue[] _inputs = [], _outputs = [], _maskInputs = [], _maskOutputs = [];

    public GraphOptimizer(string artifactsDir, ArtifactManifest manifest, OptimizerKind optimizer, TrainingSessionOptions options,
        SessionOptions sessionOptions, float[] parameters, float[] gradients)
    {
        _manifest = manifest;
        _params = parameters;
        _grads = gradients;
        Kind = optimizer;
        _mode = options.MaskMode;
        _adam = options.AdamW;
        _sgd = options.Sgd;
        int n = checked((int)manifest.TotalElements);
        _mask = new bool[n];
        _outParams = new float[n];
        string[] buffers = optimizer == OptimizerKind.AdamW ? [OptimizerGraphs.ExpAvg, OptimizerGraphs.ExpAvgSq] : [OptimizerGraphs.MomentumBuffer];
        foreach (var b in buffers)
        {
            _state[b] = new float[n];
            _outState[b] = new float[n];
        }
        _optimizer = Open(artifactsDir, manifest.Files.OptimizerModel, optimizer == manifest.Optimizer,
            () => optimizer == OptimizerKind.AdamW ? OptimizerGraphs.BuildAdamW(n) : OptimizerGraphs.BuildSgd(n), sessionOptions);
        _gmt = options.Mask as GmtPolicy;
        var segments = FlatLayout.FromParameters(manifest.Parameters).AsPairs();
        if (_gmt is { } gmt)
        {
            bool global = gmt.Scope == MaskScope.Global;
            _keepCounts = global ? [MaskMath.KeepCount(n, gmt.Ratio)] : MaskGraphs.KeepCounts(segments, gmt.Ratio);
            _maskSession = global
                ? Open(artifactsDir, manifest.Files.MaskGlobalModel, true, () => MaskGraphs.BuildGlobalScope(n), sessionOptions)
                : Open(artifactsDir, manifest.Files.MaskModel, true, () => MaskGraphs.BuildTensorScope(segments), sessionOptions);
        }
        else _keepCounts = [];
        BindValues(n, optimizer);
    }

    private void BindValues(int n, OptimizerKind optimizer)
    {
        OrtValue Wrap<T>(T[] data, long[] shape) where T : unmanaged
        {
            var v = OrtValue.CreateTensorValueFromMemory(data, shape);
            _owned.Add(v);
            return v;
        }
        var names = new List<string> { OptimizerGraphs.Params, OptimizerGraphs.Grads, OptimizerGraphs.Mask, OptimizerGraphs.Freeze, OptimizerGraphs.LearningRate, OptimizerGraphs.WeightDecay };
        var values = new List<OrtValue>
        {
            Wrap(_params, [n]), Wrap(_grads, [n]), Wrap(_mask, [n]),
            Wrap(new[] { _mode == MaskedEntryMode.Freeze }, []), Wrap(_lr, []),
            Wrap(new[] { optimizer == OptimizerKind.AdamW ? _adam.WeightDecay : _sgd.WeightDecay }, []),
        };
        var outNames = new List<string> { OptimizerGraphs.Params + OptimizerGraphs.OutSuffix };
        var outValues = new List<OrtValue> { Wrap(_outParams, [n]) };
        foreach (var (b, buffer) in _state)
        {
            names.Add(b);
            values.Add(Wrap(buffer, [n]));
            outNames.Add(b + OptimizerGraphs.OutSuffix);
            outValues.Add(Wrap(_outState[b], [n]));
        }
        if (optimizer == OptimizerKind.AdamW)
        {
            names.AddRange([OptimizerGraphs.StepInput, OptimizerGraphs.Beta1, OptimizerGraphs.Beta2, OptimizerGraphs.Epsilon]);
            values.AddRange([Wrap(_step, []), Wrap(new[] { _adam.Beta1 }, []), Wrap(new[] { _adam.Beta2 }, []), Wrap(new[] { _adam.Epsilon }, [])]);
        }
        else
        {
            names.Add(OptimizerGraphs.Momentum);
            values.Add(Wrap(new[] { _sgd.Momentum }, []));
        }
        (_inputNames, _inputs, _outputNames, _outputs) = (names.ToArray(), values.ToArray(), outNames.ToArray(), outValues.ToArray());
        if (_gmt is { } gmt)
        {
            _maskInputNames = [MaskGraphs.GradInput, gmt.Scope == MaskScope.Global ? MaskGraphs.KeepCountInput : MaskGraphs.KeepCountsInput];
            _maskInputs = [_inputs[1], Wrap(_keepCounts, [_keepCounts.Length])];
            _maskOutputNames = [MaskGraphs.MaskOutput];
            _maskOutputs = [_inputs[2]];
        }
    }

    private InferenceSession Open(string dir, string file, bool useFile, Func<ModelProto> build, SessionOptions options)
    {
        string path = Path.Combine(dir, file);
        var session = useFile && File.Exists(path)
            ? new InferenceSession(path, options)
            : new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(build()), options);
        _owned.Add(session);
        return session;
    }

    public OptimizerKind Kind { get; }

    public long StepCount { get; private set; }

    /// <summary>True when the mask comes from mask_model rather than the host plan.</summary>
    public bool MasksInGraph => _gmt is not null;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate, MaskPlan? plan = null)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(parameters), ref _params[0])
            || !Unsafe.AreSame(ref MemoryMarshal.GetReference(gradients), ref _grads[0]))
            throw new InvalidOperationException("the graph optimizer steps the flat buffers it was built over");
        if (_maskSession is not null) _maskSession.Run(_run, _maskInputNames, _maskInputs, _maskOutputNames, _maskOutputs);
        else if (plan is not null) plan.WriteMask(gradients, _mask);
        else Array.Fill(_mask, true);

        StepCount++;
        _lr[0] = learningRate;
        _step[0] = StepCount;
        _optimizer.Run(_run, _inputNames, _inputs, _outputNames, _outputs);
        _outParams.AsSpan().CopyTo(_params);
        foreach (var (b, buffer) in _state) _outState[b].AsSpan().CopyTo(buffer);
    }

    /// <summary>Kept entries per parameter in the last mask.</summary>
    public void CountKept(Span<long> perParameter)
    {
        for (int i = 0; i < _manifest.Parameters.Length; i++)
        {
            var p = _manifest.Parameters[i];
            perParameter[i] = _mask.AsSpan((int)p.Offset, (int)p.Numel).Count(true);
        }
    }

    public OptimizerState ExportState() => new(Kind, StepCount, _state);

    public void ImportState(OptimizerState state)
    {
        if (state.Optimizer != Kind) throw new OrtGmtException($"optimizer state is for '{state.Optimizer}', this run uses '{Kind}'");
        foreach (var (b, buffer) in _state)
        {
            if (!state.Buffers.TryGetValue(b, out var src) || src.Length != buffer.Length)
                throw new OrtGmtException($"optimizer state has no '{b}' buffer of {buffer.Length} elements");
            src.AsSpan().CopyTo(buffer);
        }
        StepCount = state.Step;
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _run.Dispose();
    }
}
