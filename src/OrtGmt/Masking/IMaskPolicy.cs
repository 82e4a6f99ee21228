namespace OrtGmt.Masking;

/// <summary>
/// Chooses, each optimizer step, which entries the optimizer updates (GMT and its baselines on
/// one code path). Implementations reuse their buffers: a call allocates nothing.
/// </summary>
public interface IMaskPolicy
{
    /// <summary>Short name for logs and run folders ("sft", "gmt", "rmt", "hft").</summary>
    string Name { get; }

    /// <summary>The share of entries masked per step (0 for SFT; for HFT the share of frozen entries).</summary>
    double Ratio { get; }

    /// <summary>Writes this step's mask for the accumulated <paramref name="gradients"/> into <paramref name="plan"/>.</summary>
    void Select(ReadOnlySpan<float> gradients, MaskPlan plan);
}
