using OrtGmt.Errors;

namespace OrtGmt.Optimizers;

/// <summary>AdamW hyper-parameters (the learning rate comes from the schedule each step).</summary>
public sealed record AdamWOptions
{
    /// <summary>First-moment decay β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Second-moment decay β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay (the GMT recipe uses 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Throws a <see cref="ConfigException"/> for out-of-range values.</summary>
    public void Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ConfigException("adam_beta1", $"must be in [0, 1), got {Beta1}");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ConfigException("adam_beta2", $"must be in [0, 1), got {Beta2}");
        if (!(Epsilon > 0)) throw new ConfigException("adam_epsilon", $"must be positive, got {Epsilon}");
        if (!(WeightDecay >= 0)) throw new ConfigException("weight_decay", $"must be non-negative, got {WeightDecay}");
    }
}

/// <summary>SGD hyper-parameters (the learning rate comes from the schedule each step).</summary>
public sealed record SgdOptions
{
    /// <summary>Momentum μ (dampening 0, no Nesterov).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay, coupled as in torch.optim.SGD: g ← g + wd·θ.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Throws a <see cref="ConfigException"/> for out-of-range values.</summary>
    public void Validate()
    {
        if (!(Momentum >= 0 && Momentum < 1)) throw new ConfigException("momentum", $"must be in [0, 1), got {Momentum}");
        if (!(WeightDecay >= 0)) throw new ConfigException("weight_decay", $"must be non-negative, got {WeightDecay}");
    }
}
