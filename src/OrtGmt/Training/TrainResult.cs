using OrtGmt.Masking;

namespace OrtGmt.Training;

/// <summary>What a finished (or resumed-and-finished) run reports.</summary>
public sealed record TrainResult
{
    /// <summary>Method trained with.</summary>
    public required TrainingMethod Method { get; init; }

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
