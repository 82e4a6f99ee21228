using OrtGmt.Layout;

namespace OrtGmt.Masking;

/// <summary>Builds the mask policy of a training method: GMT and its baselines share one code path.</summary>
public static class MaskPolicies
{
    /// <summary>
    /// The policy for <paramref name="method"/> over <paramref name="parameters"/> (manifest order).
    /// <paramref name="ratio"/> and <paramref name="scope"/> apply to GMT and RMT, <paramref name="seed"/>
    /// to RMT's draws and HFT's frozen set; <paramref name="threads"/> parallelise GMT's selection.
    /// </summary>
    public static IMaskPolicy Create(TrainingMethod method, double ratio, MaskScope scope, ulong seed, IReadOnlyList<ParameterEntry> parameters, int threads = 1) =>
        method switch
        {
            TrainingMethod.Sft => new SftPolicy(),
            TrainingMethod.Gmt => new GmtPolicy(ratio, scope, Math.Max(1, threads)),
            TrainingMethod.Rmt => new RmtPolicy(ratio, seed, scope),
            TrainingMethod.Hft => new HftPolicy(parameters, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a training method"),
        };
}
