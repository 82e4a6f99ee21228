using System.Text.Json.Serialization;
using OrtGmt.Data.Batching;
using OrtGmt.Masking;

namespace OrtGmt.Training.Checkpoints;

/// <summary>trainer_state.json: where a run is, so a resumed run continues exactly.</summary>
public sealed record TrainerState
{
    /// <summary>Optimizer steps taken.</summary>
    [JsonPropertyName("step")] public long Step { get; init; }

    /// <summary>Total steps the run was planned for (the schedule depends on it).</summary>
    [JsonPropertyName("max_steps")] public long MaxSteps { get; init; }

    /// <summary>Where the training data stream stands.</summary>
    [JsonPropertyName("data_cursor")] public DataCursor? DataCursor { get; init; }

    /// <summary>Method, for a sanity check on resume.</summary>
    [JsonPropertyName("method")] public TrainingMethod Method { get; init; }

    /// <summary>Last held-out loss, if evaluated.</summary>
    [JsonPropertyName("eval_loss")] public double? EvalLoss { get; init; }
}
