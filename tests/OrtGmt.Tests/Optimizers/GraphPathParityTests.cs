using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

/// <summary>The whole masked step on each path: host (selector + fused AdamW) vs graphs (mask_model → optimizer_model).</summary>
public class GraphPathParityTests
{
    private static readonly (long, long)[] Segments = [(0, 64), (64, 1), (65, 300), (365, 35)];

    [TestCase(MaskScope.Tensor, MaskedEntryMode.Freeze, 0.3)]
    [TestCase(MaskScope.Tensor, MaskedEntryMode.ZeroGrad, 0.3)]
    [TestCase(MaskScope.Global, MaskedEntryMode.Freeze, 0.9)]
    [TestCase(MaskScope.Global, MaskedEntryMode.ZeroGrad, 0.99)]
    public void HostAndGraphStepsGiveTheSameParameters(MaskScope scope, MaskedEntryMode mode, double ratio)
    {
        var layout = new FlatLayout(Segments);
        int n = layout.TotalElements;
        var options = new AdamWOptions { WeightDecay = 0.01 };
        var hostP = MaskReference.Gaussian(n, 1, 1f);
        var host = new AdamW(n, options);
        using var policy = new GmtPolicy(ratio, scope);
        var plan = new GradientMask(layout, mode);
        var graphP = (float[])hostP.Clone();
        var graphM = new float[n];
        var graphV = new float[n];
        var maskModel = scope == MaskScope.Tensor ? GradientMaskGraphs.BuildTensorScope(Segments) : GradientMaskGraphs.BuildGlobalScope(Segments);
        var optModel = OptimizerGraphs.BuildAdamW(n);
        for (int step = 1; step <= 3; step++)
        {
            // Ties included, so the graph's TopK must keep every entry tied at the threshold too.
            var g = MaskReference.Ties(n, 100 + (ulong)step);
            double lr = 1e-3 * step;
            policy.Select(g, plan);
            host.Step(hostP, g, lr, plan);

            var (countsName, counts) = scope == MaskScope.Tensor
                ? (GradientMaskGraphs.KeepCountsInput, GradientMaskGraphs.KeepCounts(Segments, ratio))
                : (GradientMaskGraphs.KeepCountInput, new[] { MaskMath.KeepCount(n, ratio) });
            var mask = (bool[])OrtRunner.Run(maskModel, new Dictionary<string, (Array, long[])>
            {
                [GradientMaskGraphs.GradInput] = (g, [n]),
                [countsName] = (counts, [counts.Length]),
            })[GradientMaskGraphs.MaskOutput];
            (graphP, graphM, graphV) = AdamWGraph.Step(optModel, graphP, g, graphM, graphV, mask, mode, lr, step, options);
        }
        Assert.That(graphP, Is.EqualTo(hostP));
        Assert.That(graphM, Is.EqualTo(host.ExpAvg));
        Assert.That(graphV, Is.EqualTo(host.ExpAvgSq));
    }
}
