using OrtGmt.Masking;

namespace OrtGmt.Optimizers;

/// <summary>
/// AdamW exactly as torch.optim.AdamW (amsgrad off): decoupled weight decay θ ← θ − lr·wd·θ, then
/// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², m̂ = m/(1−β1^t), v̂ = v/(1−β2^t),
/// θ ← θ − lr·m̂/(√v̂ + ε), fused with the step's mask in one SIMD pass per segment. The bias
/// correction uses the global step count t in both masked-entry modes, so an entry frozen for
/// some steps is corrected as if its moments had decayed for all of them.
/// </summary>
public sealed class AdamW : IFlatOptimizer
{
    /// <summary>State buffer names, as PyTorch's state_dict names them.</summary>
    public const string ExpAvgName = "exp_avg", ExpAvgSqName = "exp_avg_sq";

    /// <summary>An optimizer for a flat buffer of <paramref name="numel"/> parameters, moments at zero.</summary>
    public AdamW(int numel, AdamWOptions? options = null)
    {
        Options = options ?? new AdamWOptions();
        Options.Validate();
        ExpAvg = new float[numel];
        ExpAvgSq = new float[numel];
    }

    /// <summary>Hyper-parameters.</summary>
    public AdamWOptions Options { get; }

    /// <summary>First moments m, flat.</summary>
    public float[] ExpAvg { get; }

    /// <summary>Second moments v, flat.</summary>
    public float[] ExpAvgSq { get; }

    /// <inheritdoc/>
    public OptimizerKind Kind => OptimizerKind.AdamW;

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate, GradientMask? mask = null, Span<long> keptPerSegment = default)
    {
        OptimizerArguments.Check(mask?.Layout, parameters.Length, gradients.Length, ExpAvg.Length, keptPerSegment.Length);
        StepCount++;
        var s = new AdamWScalars(Options, learningRate, StepCount);
        if (mask is null)
        {
            AdamWKernel.Run<KeepAllMode>(parameters, gradients, ExpAvg, ExpAvgSq, gradients, 0f, s);
            return;
        }
        bool count = !keptPerSegment.IsEmpty;
        var keys = mask.Keys(gradients);
        var segments = mask.Layout.Segments;
        bool freeze = mask.Mode == MaskedEntryMode.Freeze;
        for (int i = 0; i < segments.Length; i++)
        {
            var seg = segments[i];
            var keep = mask.Keep[i];
            if (keep == SegmentKeep.None)
            {
                if (count) keptPerSegment[i] = 0;
                continue;
            }
            var p = parameters.Slice(seg.Offset, seg.Numel);
            var g = gradients.Slice(seg.Offset, seg.Numel);
            var m = ExpAvg.AsSpan(seg.Offset, seg.Numel);
            var v = ExpAvgSq.AsSpan(seg.Offset, seg.Numel);
            var k = keys.Slice(seg.Offset, seg.Numel);
            float t = mask.Thresholds[i];
            long kept = keep == SegmentKeep.All ? AdamWKernel.Run<KeepAllMode>(p, g, m, v, k, t, s)
                : freeze ? AdamWKernel.Run<FreezeMode>(p, g, m, v, k, t, s)
                : AdamWKernel.Run<ZeroGradMode>(p, g, m, v, k, t, s);
            if (count) keptPerSegment[i] = kept;
        }
    }

    /// <inheritdoc/>
    public OptimizerState ExportState() =>
        new(Kind, StepCount, new Dictionary<string, float[]> { [ExpAvgName] = ExpAvg, [ExpAvgSqName] = ExpAvgSq });

    /// <inheritdoc/>
    public void ImportState(OptimizerState state)
    {
        state.CopyInto(Kind, ExpAvgName, ExpAvg);
        state.CopyInto(Kind, ExpAvgSqName, ExpAvgSq);
        StepCount = state.Step;
    }
}
