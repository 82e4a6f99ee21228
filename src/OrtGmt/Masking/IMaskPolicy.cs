namespace OrtGmt.Masking;

/// <summary>
/// Chooses, each optimizer step, which entries of the accumulated gradient the optimizer updates
/// (GMT and its baselines on one code path). Implementations reuse their buffers: a call to
/// <see cref="Select"/> allocates nothing. The session that uses a policy owns and disposes it.
/// </summary>
public interface IMaskPolicy : IDisposable
{
    /// <summary>The training method this policy implements.</summary>
    TrainingMethod Method { get; }

    /// <summary>The share of entries masked per step (0 for SFT; for HFT the share of frozen entries).</summary>
    double Ratio { get; }

    /// <summary>
    /// The rule when this policy's mask is the top share of |Γ| (GMT), which the mask graph computes
    /// on the execution provider; null when the policy draws its mask some other way (on the host).
    /// </summary>
    TopKRule? TopK { get; }

    /// <summary>Writes this step's gradient mask for the accumulated <paramref name="gradients"/> into <paramref name="mask"/>.</summary>
    void Select(ReadOnlySpan<float> gradients, GradientMask mask);

    /// <summary>What a resumed run needs to continue with the same masks (RMT's generator); saved with checkpoints.</summary>
    MaskPolicyState ExportState();

    /// <summary>Continues from a checkpoint's state.</summary>
    /// <exception cref="Errors.OrtGmtException">The state belongs to another method or lacks what this policy needs.</exception>
    void ImportState(MaskPolicyState state);
}
