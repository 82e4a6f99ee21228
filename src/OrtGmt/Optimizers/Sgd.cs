using OrtGmt.Masking;

namespace OrtGmt.Optimizers;

/// <summary>
/// SGD with momentum as torch.optim.SGD (dampening 0, no Nesterov, coupled weight decay):
/// g ← g + wd·θ; buf ← μ·buf + g; θ ← θ − lr·buf. The momentum buffer starts at zero, so the
/// first step's buf = μ·0 + g = g, PyTorch's buf = clone(g) (up to the sign of a zero).
/// </summary>
public sealed class Sgd : IFlatOptimizer
{
    /// <summary>State buffer name, as PyTorch's state_dict names it.</summary>
    public const string MomentumBufferName = "momentum_buffer";

    /// <summary>An optimizer for a flat buffer of <paramref name="numel"/> parameters, momentum at zero.</summary>
    public Sgd(int numel, SgdOptions? options = null)
    {
        Options = options ?? new SgdOptions();
        Options.Validate();
        MomentumBuffer = new float[numel];
    }

    /// <summary>Hyper-parameters.</summary>
    public SgdOptions Options { get; }

    /// <summary>The momentum buffer, flat.</summary>
    public float[] MomentumBuffer { get; }

    /// <inheritdoc/>
    public OptimizerKind Kind => OptimizerKind.Sgd;

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate, GradientMask? mask = null, Span<long> keptPerSegment = default)
    {
        OptimizerArguments.Check(mask?.Layout, parameters.Length, gradients.Length, MomentumBuffer.Length, keptPerSegment.Length);
        StepCount++;
        float wd = (float)Options.WeightDecay, mu = (float)Options.Momentum, negLr = (float)-learningRate;
        if (mask is null)
        {
            SgdKernel.Run<KeepAllMode>(parameters, gradients, MomentumBuffer, gradients, 0f, wd, mu, negLr);
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
            var b = MomentumBuffer.AsSpan(seg.Offset, seg.Numel);
            var k = keys.Slice(seg.Offset, seg.Numel);
            float t = mask.Thresholds[i];
            long kept = keep == SegmentKeep.All ? SgdKernel.Run<KeepAllMode>(p, g, b, k, t, wd, mu, negLr)
                : freeze ? SgdKernel.Run<FreezeMode>(p, g, b, k, t, wd, mu, negLr)
                : SgdKernel.Run<ZeroGradMode>(p, g, b, k, t, wd, mu, negLr);
            if (count) keptPerSegment[i] = kept;
        }
    }

    /// <inheritdoc/>
    public OptimizerState ExportState() =>
        new(Kind, StepCount, new Dictionary<string, float[]> { [MomentumBufferName] = MomentumBuffer });

    /// <inheritdoc/>
    public void ImportState(OptimizerState state)
    {
        state.CopyInto(Kind, MomentumBufferName, MomentumBuffer);
        StepCount = state.Step;
    }
}
