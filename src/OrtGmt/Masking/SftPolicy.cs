namespace OrtGmt.Masking;

/// <summary>Plain fine-tuning: every entry is updated every step (GMT at r = 0).</summary>
public sealed class SftPolicy : IMaskPolicy
{
    /// <inheritdoc/>
    public TrainingMethod Method => TrainingMethod.Sft;

    /// <inheritdoc/>
    public double Ratio => 0;

    /// <inheritdoc/>
    public TopKRule? TopK => null;

    /// <inheritdoc/>
    public void Select(ReadOnlySpan<float> gradients, GradientMask mask) => mask.KeepAll();

    /// <inheritdoc/>
    public MaskPolicyState ExportState() => new() { Method = Method };

    /// <inheritdoc/>
    public void ImportState(MaskPolicyState state) => state.CheckMethod(Method);

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
