using System.Diagnostics;
using OrtGmt.Config;
using OrtGmt.Data.Batching;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Metrics;
using OrtGmt.Training.Session;

namespace OrtGmt.Training;

/// <summary>
/// The training loop, top to bottom like Algorithm 1 of the paper: set the learning rate;
/// accumulate gradients over N micro-batches; mask and step; log; evaluate and checkpoint at
/// intervals.
/// </summary>
public sealed class Trainer
{
    private readonly GmtTrainingSession _session;
    private readonly GmtCheckpointState _state;
    private readonly TrainerOptions _options;
    private readonly string _runDir;

    /// <summary>Called after every step with its metrics (progress display).</summary>
    public Action<StepMetrics>? OnStep { get; init; }

    /// <summary>Called after every evaluation with the step and the held-out loss.</summary>
    public Action<long, double>? OnEval { get; init; }

    /// <summary>
    /// Creates the loop over <paramref name="session"/>, which trains the parameters of
    /// <paramref name="state"/>; checkpoints go into <paramref name="runDir"/>.
    /// </summary>
    public Trainer(GmtTrainingSession session, GmtCheckpointState state, TrainerOptions options, string runDir)
    {
        options.Validate();
        _session = session;
        _state = state;
        _options = options;
        _runDir = runDir;
    }

    /// <summary>Trains from the session's current step to <paramref name="maxSteps"/>.</summary>
    public TrainResult Run(Batcher train, IReadOnlyList<Batch> eval, long maxSteps, MetricsLog metrics)
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
            for (int micro = 0; micro < _options.GradientAccumulationSteps; micro++)
            {
                var batch = train.Next();
                loss += _session.TrainStep(batch);
                tokens += batch.TargetCount;
            }
            loss /= _options.GradientAccumulationSteps;
            var report = _session.OptimizerStep();
            double seconds = clock.Elapsed.TotalSeconds;
            trainSeconds += seconds;

            long step = _session.StepCount;
            stepsRun++;
            if (stepsRun == 1) firstLoss = loss;
            lastLoss = loss;
            keptSum += report.Kept.Share;
            tokensTotal += tokens;
            if (report.Skipped) skipped++;
            stepTimes.Add(seconds * 1000);

            double? evalLoss = null;
            bool last = step >= maxSteps;
            if (eval.Count > 0 && (last || (_options.EvalSteps > 0 && step % _options.EvalSteps == 0)))
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
                Kept = report.Kept.Share,
                KeptByCategory = report.Kept.Categories.ToDictionary(EnumSpelling.Of, report.Kept.ShareOf),
                KeptByLayer = [.. Enumerable.Range(0, report.Kept.Layers).Select(report.Kept.ShareOfLayer)],
                Tokens = tokens,
                StepMilliseconds = seconds * 1000,
                TokensPerSecond = tokens / Math.Max(seconds, 1e-9),
                Skipped = report.Skipped,
                EvalLoss = evalLoss,
            };
            metrics.Write(m);
            OnStep?.Invoke(m);
            if (last || (_options.SaveSteps > 0 && step % _options.SaveSteps == 0))
                SaveCheckpoint(step, maxSteps, train.Cursor, evalLast);
        }
        stepTimes.Sort();
        return new TrainResult
        {
            Method = _session.Method,
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
    public double Evaluate(IReadOnlyList<Batch> eval)
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
            Method = _session.Method,
            EvalLoss = evalLoss,
        };
        _state.Save(CheckpointFolders.PathFor(_runDir, step), _session.ExportOptimizerState(), _session.ExportMaskPolicyState(), trainer);
        CheckpointFolders.Prune(_runDir, _options.SaveTotalLimit);
    }
}
