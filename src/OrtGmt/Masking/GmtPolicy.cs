namespace OrtGmt.Masking;

/// <summary>
/// Gradient-Mask Tuning: keep the entries whose |gradient| is in the top (1 − r) of their tensor
/// (<see cref="MaskScope.Tensor"/>) or of all trainable entries (<see cref="MaskScope.Global"/>).
/// The threshold T is the k-th largest |g| with k = <see cref="MaskMath.KeepCount"/>; every entry
/// with |g| ≥ T is kept, so entries tied at T are all kept and a step may keep more than k.
/// </summary>
public sealed class GmtPolicy : IMaskPolicy
{
    private readonly ThresholdSelector _selector;

    /// <summary>A GMT policy at mask ratio <paramref name="ratio"/>; <paramref name="threads"/> count large tensors in parallel.</summary>
    public GmtPolicy(double ratio, MaskScope scope = MaskScope.Tensor, int threads = 1)
    {
        MaskMath.ValidateRatio(ratio);
        Ratio = ratio;
        Scope = scope;
        _selector = new ThresholdSelector(threads);
    }

    /// <inheritdoc/>
    public TrainingMethod Method => TrainingMethod.Gmt;

    /// <inheritdoc/>
    public double Ratio { get; }

    /// <summary>Per tensor or global threshold.</summary>
    public MaskScope Scope { get; }

    /// <inheritdoc/>
    public TopKRule? TopK => new(Scope, Ratio);

    /// <inheritdoc/>
    public void Select(ReadOnlySpan<float> gradients, GradientMask mask)
    {
        var layout = mask.Layout;
        layout.CheckLength(gradients.Length, "the gradient buffer");
        mask.Scores = null;
        if (Scope == MaskScope.Global)
        {
            long k = MaskMath.KeepCount(layout.TotalElements, Ratio);
            bool all = k == layout.TotalElements;
            float t = all ? 0f : _selector.Select(gradients, k);
            mask.Keep.Fill(all ? SegmentKeep.All : SegmentKeep.Threshold);
            mask.Thresholds.Fill(t);
            return;
        }
        var segments = layout.Segments;
        for (int s = 0; s < segments.Length; s++)
        {
            var seg = segments[s];
            long k = MaskMath.KeepCount(seg.Numel, Ratio);
            if (k == seg.Numel)
            {
                mask.Keep[s] = SegmentKeep.All;
                mask.Thresholds[s] = 0f;
            }
            else
            {
                mask.Keep[s] = SegmentKeep.Threshold;
                mask.Thresholds[s] = _selector.Select(gradients.Slice(seg.Offset, seg.Numel), k);
            }
        }
    }

    /// <summary>GMT's mask depends on the gradient alone: nothing to carry across a checkpoint.</summary>
    public MaskPolicyState ExportState() => new() { Method = Method };

    /// <inheritdoc/>
    public void ImportState(MaskPolicyState state) => state.CheckMethod(Method);

    /// <summary>Stops the selector's worker threads.</summary>
    public void Dispose() => _selector.Dispose();
}
