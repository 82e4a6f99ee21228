namespace OrtGmt.Masking;

/// <summary>Plain fine-tuning: every entry is updated every step (GMT at r = 0).</summary>
public sealed class SftPolicy : IMaskPolicy
{
    /// <inheritdoc/>
    public string Name => "sft";

    /// <inheritdoc/>
    public double Ratio => 0;

    /// <inheritdoc/>
    public void Select(ReadOnlySpan<float> gradients, MaskPlan plan) => plan.KeepAll();
}
