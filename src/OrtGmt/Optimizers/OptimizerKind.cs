using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Optimizers;

/// <summary>The optimizers a run can use; configs, manifests and checkpoints spell them "adamw" and "sgd".</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum OptimizerKind
{
    /// <summary>AdamW as torch.optim.AdamW (decoupled weight decay, bias-corrected moments).</summary>
    [JsonStringEnumMemberName("adamw")] AdamW,

    /// <summary>SGD with optional momentum and L2 weight decay, as torch.optim.SGD.</summary>
    [JsonStringEnumMemberName("sgd")] Sgd,
}
