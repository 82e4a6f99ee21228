using System.Diagnostics;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Masking;
using OrtGmt.Recipes;

namespace OrtGmt.Training;

/// <summary>What a finished (or resumed-and-finished) run reports.</summary>
public sealed record TrainResult
{
    /// <summary>Method trained with.</summary>
    public required string Method { get; init; }

    /// <summary>Optimizer steps at the end.</summary>
    public long Steps { get; init; }

    /// <summary>Held-out loss before the first step of this process (null without eval data).</summary>
    public double? EvalLossBefore { get; init; }

    /// <summary>Held-out loss at the end.</summary>
    public double? EvalLossAfter { get; init; }

    /// <summary>Training loss of the first step this process took.</summary>
    public double FirstLoss { get; init; }

    /// <summary>Training loss of the last step.</summary>
    public double LastLoss { get; init; }

    /// <summary>Mean share of entries updated per step.</summary>
    public double MeanKept { get; init; }

    /// <summary>Trained tokens per second over the run (steps only, evaluation excluded).</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Median step time in milliseconds.</summary>
    public double MedianStepMilliseconds { get; init; }

    /// <summary>Steps skipped for a non-finite gradient.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Share of synthetic eval samples answered correctly by the starting model (null when not measured).</summary>
    public double? AccuracyBefore { get; init; }

    /// <summary>Share answered correctly by the trained model.</summary>
    public double? AccuracyAfter { get; init; }
}

/// <summary>
/// The training loop, top to bottom like Algorithm 1 of the paper: set the learning rate;
/// accumulate gradients over N micro-batches; mask and step; log; evaluate and checkpoint at
/// intervals.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingSession _session;
    private readonly CheckpointState _state;
    private readonly TrainConfig _config;
    private readonly IMaskPolicy _policy;
    private readonly string _runDir;
    private readonly CategoryCounter _counter;

    /// <summary>Called after every step with its metrics (progress display).</summary>
    public Action<StepMetrics>? OnStep { get; init; }

    /// <summary>Called after every evaluation with the step and the held-out loss.</summary>
    public Action<long, double>? OnEval { get; init; }

    /// <summary>Creates the loop over a session whose mask policy is <paramref name="policy"/>.</summary>
    public Trainer(TrainingSession session, CheckpointState state, TrainConfig config, IMaskPolicy policy, string runDir)
    {
        _session = session;
        _state = state;
        _config = config;
        _policy = policy;
        _runDir = runDir;
        _counter = new CategoryCounter(session.Manifest);
    }

    /// <summary>Trains from the session's current step to <paramref name="maxSteps"/>.</summary>
    public TrainResult Run(Batcher train, IReadOnlyList<TrainingInputs> eval, long maxSteps, MetricsLog metrics)
    {
        double? evalBefore = eval.Count > 0 ? Evaluate(eval) : null;
        if (evalBefore is { } e0) OnEval?.Invoke(_session.StepCount, e0);
        double? evalLast = evalBefore;
        double firstLoss = double.NaN, lastLoss = double.NaN, keptSum = 0;
        long tokensTotal = 0, skipped = 0, stepsRun = 0;
        var stepTimes = new List<double>();
        var clock = new Stopwatch();
        double trainSeconds = 0;

        while (_session.StepCount < maxSteps)
        {
            clock.Restart();
            _session.SchedulerStep();
            double lr = _session.LearningRate;
            _session.LazyResetGrad();
            double loss = 0;
            long tokens = 0;
            for (int micro = 0; micro < _config.GradientAccumulationSteps; micro++)
            {
                var batch = train.Next();
                var inputs = ToInputs(batch);
                loss += _session.TrainStep(inputs);
                tokens += batch.TargetCount;
            }
            loss /= _config.GradientAccumulationSteps;
            var report = _session.OptimizerStep();
            double seconds = clock.Elapsed.TotalSeconds;
            trainSeconds += seconds;
            var kept = _counter.Count(_session, report.Skipped);

            long step = _session.StepCount;
            stepsRun++;
            if (stepsRun == 1) firstLoss = loss;
            lastLoss = loss;
            keptSum += kept.Overall;
            tokensTotal += tokens;
            if (report.Skipped) skipped++;
            stepTimes.Add(seconds * 1000);

            double? evalLoss = null;
            bool last = step >= maxSteps;
            if (eval.Count > 0 && (last || (_config.EvalSteps > 0 && step % _config.EvalSteps == 0)))
            {
                evalLoss = evalLast = Evaluate(eval);
                OnEval?.Invoke(step, evalLoss.Value);
            }
            var m = new StepMetrics
            {
                Step = step,
                Loss = loss,
                LearningRate = lr,
                GradNorm = report.GradNorm,
                Kept = kept.Overall,
                KeptByCategory = kept.ByCategory,
                KeptByLayer = kept.ByLayer,
                Tokens = tokens,
                StepMilliseconds = seconds * 1000,
                TokensPerSecond = tokens / Math.Max(seconds, 1e-9),
                Skipped = report.Skipped,
                EvalLoss = evalLoss,
            };
            metrics.Write(m);
            OnStep?.Invoke(m);
            if (last || (_config.SaveSteps > 0 && step % _config.SaveSteps == 0))
                SaveCheckpoint(step, maxSteps, train.Cursor, evalLast);
        }
        stepTimes.Sort();
        return new TrainResult
        {
            Method = _policy.Name,
            Steps = _session.StepCount,
            EvalLossBefore = evalBefore,
            EvalLossAfter = evalLast,
            FirstLoss = firstLoss,
            LastLoss = lastLoss,
            MeanKept = stepsRun == 0 ? double.NaN : keptSum / stepsRun,
            TokensPerSecond = tokensTotal / Math.Max(trainSeconds, 1e-9),
            MedianStepMilliseconds = stepTimes.Count == 0 ? double.NaN : stepTimes[stepTimes.Count / 2],
            SkippedSteps = skipped,
        };
    }

    /// <summary>Token-weighted held-out loss over <paramref name="eval"/>.</summary>
    public double Evaluate(IReadOnlyList<TrainingInputs> eval)
    {
        double sum = 0, tokens = 0;
        foreach (var batch in eval)
        {
            var (_, lossSum, count) = _session.EvalStep(batch);
            sum += lossSum;
            tokens += count;
        }
        return tokens == 0 ? double.NaN : sum / tokens;
    }

    private void SaveCheckpoint(long step, long maxSteps, DataCursor cursor, double? evalLoss)
    {
        var trainer = new TrainerState
        {
            Step = step,
            MaxSteps = maxSteps,
            DataCursor = cursor,
            MaskRng = (_policy as RmtPolicy)?.RngState,
            Method = _policy.Name,
            EvalLoss = evalLoss,
        };
        _state.Save(CheckpointFolders.PathFor(_runDir, step), _session.ExportOptimizerState(), trainer);
        CheckpointFolders.Prune(_runDir, _config.SaveTotalLimit);
    }

    /// <summary>A data batch in the session's input form.</summary>
    public static TrainingInputs ToInputs(Batch batch) =>
        new(batch.InputIds, batch.Labels, batch.AttentionMask, batch.BatchSize, batch.SeqLen);
}
