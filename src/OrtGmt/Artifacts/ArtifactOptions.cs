using OrtGmt.Optimizers;

namespace OrtGmt.Artifacts;

/// <summary>What `ortgmt artifacts` is asked to make.</summary>
public sealed record ArtifactOptions
{
    /// <summary>Globs of initializer names to train; empty means every float initializer that reaches the loss.</summary>
    public IReadOnlyList<string> Trainable { get; init; } = [];

    /// <summary>Globs of initializer names to keep frozen (applied after <see cref="Trainable"/>).</summary>
    public IReadOnlyList<string> Frozen { get; init; } = [];

    /// <summary>Optimizer of the optimizer graph.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>User rules for parameter categories, tried before the built-in ones.</summary>
    public IReadOnlyList<ParameterNaming.Rule> CategoryRules { get; init; } = [];

    /// <summary>Re-tie weights that the exporter's constant folding untied (see <see cref="TiedWeights"/>).</summary>
    public bool Retie { get; init; }
}
