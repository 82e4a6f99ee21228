using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Masking;

namespace OrtGmt.Training;

/// <summary>Builds the mask policy of a method name: GMT and its baselines share one code path.</summary>
public static class MaskPolicies
{
    /// <summary>The method names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["sft", "gmt", "rmt", "hft"];

    /// <summary>The policy for <paramref name="method"/>; <paramref name="threads"/> parallelises GMT's selection.</summary>
    public static IMaskPolicy Create(string method, double ratio, MaskScope scope, ulong seed, ArtifactManifest manifest, int threads = 1) =>
        method switch
        {
            "sft" => new SftPolicy(),
            "gmt" => new GmtPolicy(ratio, scope, Math.Max(1, threads)),
            "rmt" => new RmtPolicy(ratio, seed, scope),
            "hft" => new HftPolicy(manifest.Parameters, seed),
            _ => throw new ConfigException("method", $"'{method}' is not one of {string.Join(", ", Methods)}"),
        };

    /// <summary>Parses "tensor" or "global".</summary>
    public static MaskScope ParseScope(string text) => text switch
    {
        "tensor" => MaskScope.Tensor,
        "global" => MaskScope.Global,
        _ => throw new ConfigException("mask_scope", $"'{text}' is not one of tensor, global"),
    };

    /// <summary>Parses "freeze" or "zero-grad".</summary>
    public static MaskedEntryMode ParseMode(string text) => text switch
    {
        "freeze" => MaskedEntryMode.Freeze,
        "zero-grad" => MaskedEntryMode.ZeroGrad,
        _ => throw new ConfigException("mask_mode", $"'{text}' is not one of freeze, zero-grad"),
    };
}
