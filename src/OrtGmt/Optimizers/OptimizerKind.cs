namespace OrtGmt.Optimizers;

/// <summary>The optimizers a run can use; configs, manifests and checkpoints spell them "adamw" and "sgd".</summary>
public enum OptimizerKind
{
    /// <summary>AdamW as torch.optim.AdamW (decoupled weight decay, bias-corrected moments).</summary>
    AdamW,

    /// <summary>SGD with optional momentum and L2 weight decay, as torch.optim.SGD.</summary>
    Sgd,
}
