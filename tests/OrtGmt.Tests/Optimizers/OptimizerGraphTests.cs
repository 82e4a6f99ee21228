using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

public class OptimizerGraphTests
{
    private const int N = 333;

    private static (float[] P, float[] G, bool[] Mask, GradientMask Plan) Setup(MaskedEntryMode mode, ulong seed)
    {
        var p = MaskReference.Gaussian(N, seed, 1f);
        var g = MaskReference.Gaussian(N, seed + 1, 0.1f);
        var plan = new GradientMask(new FlatLayout([(0L, 200L), (200L, 133L)]), mode);
        new GmtPolicy(0.4).Select(g, plan);
        var mask = new bool[N];
        plan.WriteBooleans(g, mask);
        return (p, g, mask, plan);
    }

    [TestCase(MaskedEntryMode.Freeze)]
    [TestCase(MaskedEntryMode.ZeroGrad)]
    public void AdamWGraphGivesTheHostsParametersBitForBit(MaskedEntryMode mode)
    {
        var options = new AdamWOptions { WeightDecay = 0.05 };
        var host = new AdamW(N, options);
        var (p, _, _, _) = Setup(mode, 1);
        var graphP = (float[])p.Clone();
        var graphM = new float[N];
        var graphV = new float[N];
        var model = OptimizerGraphs.BuildAdamW(N);
        for (int step = 1; step <= 3; step++)
        {
            var (_, g, mask, plan) = Setup(mode, 10 * (ulong)step);
            double lr = 1e-2 / step;
            host.Step(p, g, lr, plan);
            (graphP, graphM, graphV) = AdamWGraph.Step(model, graphP, g, graphM, graphV, mask, mode, lr, step, options);
        }
        Assert.That(graphP, Is.EqualTo(p));
        Assert.That(graphM, Is.EqualTo(host.ExpAvg));
        Assert.That(graphV, Is.EqualTo(host.ExpAvgSq));
    }

    [TestCase(MaskedEntryMode.Freeze)]
    [TestCase(MaskedEntryMode.ZeroGrad)]
    public void SgdGraphGivesTheHostsParametersBitForBit(MaskedEntryMode mode)
    {
        var options = new SgdOptions { Momentum = 0.9, WeightDecay = 0.01 };
        var host = new Sgd(N, options);
        var (p, _, _, _) = Setup(mode, 2);
        var graphP = (float[])p.Clone();
        var graphB = new float[N];
        var model = OptimizerGraphs.BuildSgd(N);
        for (int step = 1; step <= 3; step++)
        {
            var (_, g, mask, plan) = Setup(mode, 20 * (ulong)step);
            host.Step(p, g, 0.05, plan);
            var o = OrtRunner.Run(model, new Dictionary<string, (Array, long[])>
            {
                [OptimizerGraphs.Params] = (graphP, [N]),
                [OptimizerGraphs.Grads] = (g, [N]),
                [OptimizerGraphs.MomentumBuffer] = (graphB, [N]),
                [OptimizerGraphs.GradientMask] = (mask, [N]),
                [OptimizerGraphs.Freeze] = (new[] { mode == MaskedEntryMode.Freeze }, []),
                [OptimizerGraphs.LearningRate] = (new[] { 0.05 }, []),
                [OptimizerGraphs.WeightDecay] = (new[] { options.WeightDecay }, []),
                [OptimizerGraphs.Momentum] = (new[] { options.Momentum }, []),
            });
            graphP = (float[])o[OptimizerGraphs.Params + OptimizerGraphs.OutSuffix];
            graphB = (float[])o[OptimizerGraphs.MomentumBuffer + OptimizerGraphs.OutSuffix];
        }
        Assert.That(graphP, Is.EqualTo(p));
        Assert.That(graphB, Is.EqualTo(host.MomentumBuffer));
    }
}
