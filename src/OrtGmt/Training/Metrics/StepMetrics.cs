using System.Text.Json.Serialization;

namespace OrtGmt.Training.Metrics;

/// <summary>One line of metrics.jsonl: what an optimizer step did.</summary>
public sealed record StepMetrics
{
    /// <summary>Optimizer step (1-based: the step just taken).</summary>
    [JsonPropertyName("step")] public long Step { get; init; }

    /// <summary>Mean training loss over the step's micro-batches.</summary>
    [JsonPropertyName("loss")] public double Loss { get; init; }

    /// <summary>Learning rate used.</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; }

    /// <summary>Global L2 norm of the mean gradient before clipping.</summary>
    [JsonPropertyName("grad_norm")] public double GradNorm { get; init; }

    /// <summary>Share of entries the mask kept (updated) this step.</summary>
    [JsonPropertyName("kept")] public double Kept { get; init; }

    /// <summary>Kept share per parameter category.</summary>
    [JsonPropertyName("kept_by_category")] public IReadOnlyDictionary<string, double> KeptByCategory { get; init; } = new Dictionary<string, double>();

    /// <summary>Kept share per layer (index = layer).</summary>
    [JsonPropertyName("kept_by_layer")] public double[] KeptByLayer { get; init; } = [];

    /// <summary>Tokens that counted in the loss this step.</summary>
    [JsonPropertyName("tokens")] public long Tokens { get; init; }

    /// <summary>Wall time of the step in milliseconds.</summary>
    [JsonPropertyName("step_ms")] public double StepMilliseconds { get; init; }

    /// <summary>Trained tokens per second over this step.</summary>
    [JsonPropertyName("tokens_per_s")] public double TokensPerSecond { get; init; }

    /// <summary>True when a non-finite gradient made the step a no-op.</summary>
    [JsonPropertyName("skipped")] public bool Skipped { get; init; }

    /// <summary>Held-out loss, on steps where evaluation ran.</summary>
    [JsonPropertyName("eval_loss")] public double? EvalLoss { get; init; }
}
