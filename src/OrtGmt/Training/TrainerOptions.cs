using OrtGmt.Errors;

namespace OrtGmt.Training;

/// <summary>The loop's rhythm: micro-batches per step, and how often it evaluates and checkpoints.</summary>
public sealed record TrainerOptions
{
    /// <summary>Micro-batches per optimizer step (N of the paper's Γ).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Evaluate every this many steps (0 = only at the start and the end).</summary>
    public int EvalSteps { get; init; }

    /// <summary>Checkpoint every this many steps (0 = only at the end).</summary>
    public int SaveSteps { get; init; }

    /// <summary>Keep the newest this many checkpoints.</summary>
    public int SaveTotalLimit { get; init; } = 2;

    /// <summary>Throws a <see cref="ConfigException"/> for out-of-range values.</summary>
    public void Validate()
    {
        if (GradientAccumulationSteps < 1) throw new ConfigException("gradient_accumulation_steps", $"must be at least 1, got {GradientAccumulationSteps}");
        if (EvalSteps < 0) throw new ConfigException("eval_steps", $"must be non-negative, got {EvalSteps}");
        if (SaveSteps < 0) throw new ConfigException("save_steps", $"must be non-negative, got {SaveSteps}");
        if (SaveTotalLimit < 1) throw new ConfigException("save_total_limit", $"must be at least 1, got {SaveTotalLimit}");
    }
}
