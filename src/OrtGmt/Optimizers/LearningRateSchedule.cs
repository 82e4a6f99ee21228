using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Errors;

namespace OrtGmt.Optimizers;

/// <summary>What the learning rate does after the warm-up.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum ScheduleKind
{
    /// <summary>Half a cosine from the peak down to the floor (Hugging Face get_cosine_schedule_with_warmup).</summary>
    [JsonStringEnumMemberName("cosine")] Cosine,

    /// <summary>A straight line from the peak down to the floor (get_linear_schedule_with_warmup).</summary>
    [JsonStringEnumMemberName("linear")] Linear,

    /// <summary>The peak, held (get_constant_schedule_with_warmup).</summary>
    [JsonStringEnumMemberName("constant")] Constant,
}

/// <summary>
/// Learning rate per optimizer step: linear warm-up from 0, then cosine, linear or constant, with
/// the Hugging Face formulas. Step s (0-based: the s-th optimizer step taken) uses
/// lr·f(s), where during warm-up f = s / max(1, W) — so the very first step runs at lr 0, as in
/// the Hugging Face trainer — and after it, with progress p = (s − W)/max(1, S − W),
/// cosine f = ρ + (1 − ρ)·½(1 + cos πp), linear f = ρ + (1 − ρ)·max(0, 1 − p), constant f = 1,
/// ρ being the floor as a share of the peak (min_lr_ratio, default 0).
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>The GMT recipe's warm-up share of the steps.</summary>
    public const double DefaultWarmupRatio = 0.03;

    /// <summary>A schedule over <paramref name="totalSteps"/> steps peaking at <paramref name="peak"/>.</summary>
    /// <exception cref="ConfigException">A value is out of range.</exception>
    public LearningRateSchedule(ScheduleKind kind, double peak, long totalSteps, long warmupSteps, double minLrRatio = 0)
    {
        if (!(peak >= 0) || double.IsInfinity(peak)) throw new ConfigException("learning_rate", $"must be a non-negative number, got {peak}");
        if (totalSteps < 1) throw new ConfigException("max_steps", $"must be at least 1, got {totalSteps}");
        if (warmupSteps < 0 || warmupSteps > totalSteps) throw new ConfigException("warmup_steps", $"must be in [0, {totalSteps}], got {warmupSteps}");
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new ConfigException("min_lr_ratio", $"must be in [0, 1], got {minLrRatio}");
        Kind = kind;
        Peak = peak;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        MinLrRatio = minLrRatio;
    }

    /// <summary>A schedule whose warm-up is ceil(<paramref name="warmupRatio"/> · total) steps, as Hugging Face rounds it.</summary>
    public static LearningRateSchedule WithWarmupRatio(ScheduleKind kind, double peak, long totalSteps,
        double warmupRatio = DefaultWarmupRatio, double minLrRatio = 0)
    {
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) throw new ConfigException("warmup_ratio", $"must be in [0, 1], got {warmupRatio}");
        return new LearningRateSchedule(kind, peak, totalSteps, (long)Math.Ceiling(totalSteps * warmupRatio), minLrRatio);
    }

    /// <summary>Shape after the warm-up.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>Peak learning rate.</summary>
    public double Peak { get; }

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>Floor as a share of the peak.</summary>
    public double MinLrRatio { get; }

    /// <summary>The learning rate of 0-based optimizer step <paramref name="step"/> (steps past the end stay at the end's value).</summary>
    public double At(long step) => Peak * Factor(Math.Max(0, step));

    private double Factor(long step)
    {
        if (step < WarmupSteps) return (double)step / Math.Max(1, WarmupSteps);
        double progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Kind switch
        {
            ScheduleKind.Cosine => MinLrRatio + (1 - MinLrRatio) * Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * Math.Min(progress, 1)))),
            ScheduleKind.Linear => MinLrRatio + (1 - MinLrRatio) * Math.Max(0, 1 - progress),
            _ => 1,
        };
    }
}
