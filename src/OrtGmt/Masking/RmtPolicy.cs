using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Masking;

/// <summary>
/// Random-Mask Tuning baseline: each step a fresh uniformly random set of entries is masked, of
/// exactly the size GMT masks at the same ratio and scope (floor(r·n) per segment, or over the
/// whole buffer). Selection sampling draws exactly that many, and the result is written as scores
/// (1 kept, 0 masked) with threshold ½, so the optimizers' threshold path applies it unchanged.
/// </summary>
public sealed class RmtPolicy : IMaskPolicy
{
    private const float KeptScore = 1f;
    private const float Half = 0.5f;
    private Rng _rng;
    private float[]? _scores;

    /// <summary>An RMT policy drawing from <c>Rng.ForStream(seed, "rmt")</c>.</summary>
    public RmtPolicy(double ratio, ulong seed, MaskScope scope = MaskScope.Tensor)
    {
        MaskMath.ValidateRatio(ratio);
        Ratio = ratio;
        Scope = scope;
        _rng = Rng.ForStream(seed, "rmt");
    }

    /// <inheritdoc/>
    public TrainingMethod Method => TrainingMethod.Rmt;

    /// <inheritdoc/>
    public double Ratio { get; }

    /// <summary>Per tensor or global mask count.</summary>
    public MaskScope Scope { get; }

    /// <inheritdoc/>
    public TopKRule? TopK => null;

    /// <summary>The generator's state: a policy that imports it draws the same masks from here on.</summary>
    public MaskPolicyState ExportState() => new() { Method = Method, Rng = _rng.State };

    /// <inheritdoc/>
    public void ImportState(MaskPolicyState state)
    {
        state.CheckMethod(Method);
        _rng = Rng.FromState(state.Rng ?? throw new OrtGmtException("the rmt mask policy state has no generator state ('rng')"));
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }

    /// <inheritdoc/>
    public void Select(ReadOnlySpan<float> gradients, GradientMask mask)
    {
        var layout = mask.Layout;
        layout.CheckLength(gradients.Length, "the gradient buffer");
        if (_scores is null || _scores.Length != layout.TotalElements) _scores = new float[layout.TotalElements];
        mask.Scores = _scores;
        mask.Thresholds.Fill(Half);
        if (Scope == MaskScope.Global)
        {
            SampleKept(_scores, MaskMath.MaskedCount(layout.TotalElements, Ratio));
            mask.Keep.Fill(SegmentKeep.Threshold);
            return;
        }
        var segments = layout.Segments;
        for (int s = 0; s < segments.Length; s++)
        {
            var seg = segments[s];
            SampleKept(_scores.AsSpan(seg.Offset, seg.Numel), MaskMath.MaskedCount(seg.Numel, Ratio));
            mask.Keep[s] = SegmentKeep.Threshold;
        }
    }

    // Knuth's selection sampling: each entry is masked with probability (still to mask)/(still to
    // see), which masks exactly `masked` entries, every subset equally likely, in one pass.
    private void SampleKept(Span<float> scores, long masked)
    {
        if (masked == 0)
        {
            scores.Fill(KeptScore);
            return;
        }
        long remaining = scores.Length;
        for (int i = 0; i < scores.Length; i++, remaining--)
        {
            bool drop = masked > 0 && _rng.NextDouble() * remaining < masked;
            if (drop) masked--;
            scores[i] = drop ? 0f : KeptScore;
        }
    }
}
