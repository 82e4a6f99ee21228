using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Onnx;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.GraphRunners;
using OrtGmt.Training.Update;

namespace OrtGmt.Training.Session;

/// <summary>
/// Trains the parameters of an artifact folder with ONNX Runtime, in the shape of the deprecated
/// ONNX Runtime training API: <see cref="TrainStep"/> (forward + backward, accumulating),
/// <see cref="LazyResetGrad"/>, <see cref="OptimizerStep"/> (mean gradient → clip → gradient mask →
/// optimizer), <see cref="SchedulerStep"/>, <see cref="EvalStep"/>. Gradient-Mask Tuning and its
/// baselines are the <see cref="GmtTrainingSessionOptions.Method"/> option, not a separate session.
/// Parameters, gradients and optimizer moments are flat buffers; the graphs read and write them
/// through views. The prefix keeps the name apart from ONNX Runtime's own <c>TrainingSession</c>,
/// so a program can import both namespaces.
/// </summary>
public sealed class GmtTrainingSession : IDisposable
{
    private readonly GmtCheckpointState _state;
    private readonly float[] _gradients;
    private readonly FlatViews _paramViews;
    private readonly TrainingGraphRunner _train;
    private readonly EvalGraphRunner _eval;
    private readonly IUpdateStep _update;
    private readonly string _artifactsDir;
    private int _microBatches;
    private bool _resetPending = true;
    private LearningRateSchedule? _schedule;

    /// <summary>
    /// Opens the artifacts in <paramref name="artifactsDir"/> over the parameters of
    /// <paramref name="state"/>, continuing from its optimizer and mask-policy state when it has them.
    /// </summary>
    public GmtTrainingSession(GmtCheckpointState state, string artifactsDir, GmtTrainingSessionOptions? options = null)
    {
        options ??= new GmtTrainingSessionOptions();
        _state = state;
        _artifactsDir = artifactsDir;
        Manifest = state.Manifest;
        _gradients = new float[state.Parameters.Length];
        _paramViews = new FlatViews(state.Parameters, Manifest.Parameters);
        try
        {
            using var sessionOptions = OrtSessionFactory.Create(options.Device, options.Threads);
            var (train, trainInputs) = Open(Manifest.Files.TrainingModel, sessionOptions);
            _train = new TrainingGraphRunner(train, trainInputs, Manifest, _paramViews, _gradients);
            var (eval, evalInputs) = Open(Manifest.Files.EvalModel, sessionOptions);
            _eval = new EvalGraphRunner(eval, evalInputs, Manifest, _paramViews);
            _update = UpdateSteps.Create(options, Manifest, artifactsDir, sessionOptions, state.Parameters, _gradients);
            if (state.Optimizer is { } optimizer) _update.ImportOptimizerState(optimizer);
            if (state.MaskPolicy is { } policy) _update.Policy.ImportState(policy);
        }
        catch
        {
            // A checkpoint that does not fit is a user error, not a reason to leak native sessions.
            Dispose();
            throw;
        }
        LearningRate = 1e-3;
    }

    private (InferenceSession Session, BatchInputs Inputs) Open(string file, SessionOptions options)
    {
        string path = Path.Combine(_artifactsDir, file);
        if (!File.Exists(path)) throw new InvalidFileException(path, "graph file missing from the artifact folder");
        var session = new InferenceSession(path, options);
        try { return (session, BatchInputs.For(Manifest, session, path)); }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The artifact manifest (parameters, offsets, categories).</summary>
    public ArtifactManifest Manifest { get; }

    /// <summary>The learning rate the next <see cref="OptimizerStep"/> uses.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Optimizer steps taken so far (including those of a resumed checkpoint).</summary>
    public long StepCount => _update.StepCount;

    /// <summary>The training method whose gradient mask the optimizer steps apply.</summary>
    public TrainingMethod Method => _update.Policy.Method;

    /// <summary>The optimizer the steps run.</summary>
    public OptimizerKind Optimizer => _update.Optimizer;

    /// <summary>The accumulated gradient (the mean over micro-batches once <see cref="OptimizerStep"/> has scaled it).</summary>
    public ReadOnlySpan<float> Gradients => _gradients;

    /// <summary>The live flat parameter buffer.</summary>
    public ReadOnlySpan<float> Parameters => _state.Parameters;

    /// <summary>Forward and backward on one micro-batch; its gradient is added to the accumulator. Returns the loss.</summary>
    public float TrainStep(Batch batch)
    {
        bool accumulate = !_resetPending;
        float loss = _train.Run(batch, accumulate);
        _resetPending = false;
        _microBatches++;
        return loss;
    }

    /// <summary>Forward only: the batch's mean loss, loss sum and kept-token count.</summary>
    public (float Loss, float LossSum, float Tokens) EvalStep(Batch batch) => _eval.Run(batch);

    /// <summary>
    /// Makes the next <see cref="TrainStep"/> overwrite the gradient accumulator instead of adding to it.
    /// <see cref="OptimizerStep"/> does this too, so calling it after a step is optional.
    /// </summary>
    public void LazyResetGrad()
    {
        _resetPending = true;
        _microBatches = 0;
    }

    /// <summary>
    /// One optimizer step on the accumulated gradient: Γ = mean over the micro-batches since the last
    /// reset, clipped when asked, masked by the method's policy, then the optimizer. A non-finite
    /// gradient skips the step (parameters untouched) and is reported. The report's kept counts come
    /// from the step itself and stay valid until the next step.
    /// </summary>
    public StepReport OptimizerStep()
    {
        if (_microBatches == 0) throw new InvalidOperationException("OptimizerStep called with no TrainStep since the last LazyResetGrad");
        var report = _update.Apply(_microBatches, LearningRate);
        // The step consumes the accumulated gradient: the next TrainStep starts a new accumulation
        // (a mean cannot be extended once scaled). Gradients stays readable until then.
        _microBatches = 0;
        _resetPending = true;
        return report;
    }

    /// <summary>Uses <paramref name="schedule"/> for <see cref="SchedulerStep"/>; sets the rate for the current step.</summary>
    public void RegisterScheduler(LearningRateSchedule schedule)
    {
        _schedule = schedule;
        LearningRate = schedule.At(StepCount);
    }

    /// <summary>Moves the learning rate to the schedule's value for the next step.</summary>
    public void SchedulerStep()
    {
        if (_schedule is null) throw new InvalidOperationException("no scheduler registered");
        LearningRate = _schedule.At(StepCount);
    }

    /// <summary>Sets the learning rate of the next optimizer step.</summary>
    public void SetLearningRate(double learningRate)
    {
        if (!(learningRate >= 0) || double.IsInfinity(learningRate)) throw new ConfigException("learning_rate", $"must be a non-negative number, got {learningRate}");
        LearningRate = learningRate;
    }

    /// <summary>Copies the flat parameters into <paramref name="destination"/>.</summary>
    public void CopyParametersToBuffer(Span<float> destination) => _state.Parameters.AsSpan().CopyTo(destination);

    /// <summary>Overwrites the flat parameters with <paramref name="source"/>.</summary>
    public void CopyBufferToParameters(ReadOnlySpan<float> source)
    {
        if (source.Length != _state.Parameters.Length) throw new ArgumentException($"buffer has {source.Length} elements, the parameters {_state.Parameters.Length}");
        source.CopyTo(_state.Parameters);
    }

    /// <summary>The optimizer's state, for checkpoints (live buffers).</summary>
    public OptimizerState ExportOptimizerState() => _update.ExportOptimizerState();

    /// <summary>The mask policy's state, for checkpoints (RMT's generator, so a resumed run draws the same masks).</summary>
    public MaskPolicyState ExportMaskPolicyState() => _update.Policy.ExportState();

    /// <summary>
    /// Writes the forward model with the current parameters as its initializers: an ONNX model that
    /// plain ONNX Runtime inference runs (external data above 2 GB).
    /// </summary>
    public void ExportModelForInferencing(string path)
    {
        var forward = OnnxFile.Load(Path.Combine(_artifactsDir, Manifest.Files.ForwardModel));
        var byName = forward.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var p in Manifest.Parameters)
        {
            var slice = _state.Parameters.AsSpan((int)p.Offset, (int)p.Numel);
            var index = forward.Graph.Initializer.IndexOf(byName[p.Name]);
            forward.Graph.Initializer[index] = Tensors.FromFloats(p.Name, p.Shape, slice);
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(_artifactsDir, Manifest.Files.ForwardModel)))!;
        foreach (var t in forward.Graph.Initializer.Where(Tensors.IsExternal).ToList())
        {
            var index = forward.Graph.Initializer.IndexOf(t);
            forward.Graph.Initializer[index] = Tensors.FromBytes(t.Name, [.. t.Dims], Tensors.TypeOf(t), Tensors.ReadBytes(t, dir));
        }
        OnnxFile.Save(forward, path);
    }

    /// <summary>Releases the ONNX Runtime sessions, pinned buffers and the mask policy.</summary>
    public void Dispose()
    {
        _train?.Dispose();
        _eval?.Dispose();
        _update?.Dispose();
        _paramViews.Dispose();
    }
}

