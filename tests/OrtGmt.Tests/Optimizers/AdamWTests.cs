using OrtGmt.Errors;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

public class AdamWTests
{
    private const int N = 203;
    private static readonly (long, long)[] Segments = [(0, 100), (100, 3), (103, 100)];

    [TestCase(MaskedEntryMode.Freeze, 0.0)]
    [TestCase(MaskedEntryMode.Freeze, 0.1)]
    [TestCase(MaskedEntryMode.ZeroGrad, 0.0)]
    [TestCase(MaskedEntryMode.ZeroGrad, 0.1)]
    public void MaskedStepsMatchTheFormulaWrittenOut(MaskedEntryMode mode, double wd)
    {
        var layout = new FlatLayout(Segments);
        var p = MaskReference.Gaussian(N, seed: 1, scale: 1f);
        var reference = new OptimizerReference(p);
        var opt = new AdamW(N, new AdamWOptions { WeightDecay = wd });
        using var policy = new GmtPolicy(0.4);
        var plan = new GradientMask(layout, mode);
        var keep = new bool[N];
        for (int step = 0; step < 5; step++)
        {
            var g = MaskReference.Gaussian(N, seed: 100 + (ulong)step, scale: 0.1f);
            double lr = 1e-2 / (step + 1);
            policy.Select(g, plan);
            plan.WriteBooleans(g, keep);
            opt.Step(p, g, lr, plan);
            reference.AdamW(g, keep, mode == MaskedEntryMode.Freeze, lr, wd);
        }
        OptimizerReference.AssertClose(p, reference.P, 1e-5, "θ");
        OptimizerReference.AssertClose(opt.ExpAvg, reference.M, 1e-5, "m");
        OptimizerReference.AssertClose(opt.ExpAvgSq, reference.V, 1e-5, "v");
        Assert.That(opt.StepCount, Is.EqualTo(5));
    }

    [Test]
    public void FreezeLeavesMaskedEntriesBitForBit()
    {
        var layout = FlatLayout.Single(N);
        var opt = new AdamW(N);
        var p = MaskReference.Gaussian(N, seed: 2, scale: 1f);
        opt.Step(p, MaskReference.Gaussian(N, 3), 1e-2);
        var before = (p: (float[])p.Clone(), m: (float[])opt.ExpAvg.Clone(), v: (float[])opt.ExpAvgSq.Clone());
        var g = MaskReference.Gaussian(N, 4);
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        new GmtPolicy(0.7).Select(g, plan);
        var keep = new bool[N];
        plan.WriteBooleans(g, keep);
        opt.Step(p, g, 1e-2, plan);
        for (int i = 0; i < N; i++)
        {
            bool same = p[i] == before.p[i] && opt.ExpAvg[i] == before.m[i] && opt.ExpAvgSq[i] == before.v[i];
            Assert.That(same, Is.EqualTo(!keep[i]), $"entry {i} kept={keep[i]}");
        }
    }

    [Test]
    public void ZeroGradStillMovesMaskedEntriesByMomentum()
    {
        var opt = new AdamW(N);
        var p = MaskReference.Gaussian(N, seed: 2, scale: 1f);
        opt.Step(p, MaskReference.Gaussian(N, 3), 1e-2);
        var before = (float[])p.Clone();
        var plan = new GradientMask(FlatLayout.Single(N), MaskedEntryMode.ZeroGrad);
        var g = MaskReference.Gaussian(N, 4);
        new GmtPolicy(0.7).Select(g, plan);
        opt.Step(p, g, 1e-2, plan);
        Assert.That(Enumerable.Range(0, N).All(i => p[i] != before[i]), "every entry moves: kept by its gradient, masked by its momentum");
    }

    [Test]
    public void KeepAllPlanEqualsUnmaskedStepBitForBit()
    {
        var a = new AdamW(N, new AdamWOptions { WeightDecay = 0.01 });
        var b = new AdamW(N, new AdamWOptions { WeightDecay = 0.01 });
        var pa = MaskReference.Gaussian(N, 5, 1f);
        var pb = (float[])pa.Clone();
        var plan = new GradientMask(new FlatLayout(Segments), MaskedEntryMode.Freeze);
        for (int s = 0; s < 3; s++)
        {
            var g = MaskReference.Gaussian(N, 10 + (ulong)s);
            new SftPolicy().Select(g, plan);
            a.Step(pa, g, 1e-3);
            b.Step(pb, g, 1e-3, plan);
        }
        Assert.That(pb, Is.EqualTo(pa));
    }

    [Test]
    public void FrozenSegmentsAreUntouchedInBothModes()
    {
        foreach (var mode in new[] { MaskedEntryMode.Freeze, MaskedEntryMode.ZeroGrad })
        {
            var opt = new AdamW(N, new AdamWOptions { WeightDecay = 0.1 });
            var p = MaskReference.Gaussian(N, 6, 1f);
            var before = (float[])p.Clone();
            var plan = new GradientMask(new FlatLayout(Segments), mode);
            plan.Keep[1] = SegmentKeep.None;
            opt.Step(p, MaskReference.Gaussian(N, 7), 1e-2, plan);
            Assert.That(p.AsSpan(100, 3).ToArray(), Is.EqualTo(before.AsSpan(100, 3).ToArray()), mode.ToString());
            Assert.That(p[0], Is.Not.EqualTo(before[0]));
        }
    }

    [Test]
    public void ExportedStateResumesExactly()
    {
        var p1 = MaskReference.Gaussian(N, 8, 1f);
        var a = new AdamW(N);
        a.Step(p1, MaskReference.Gaussian(N, 9), 1e-2);
        var state = a.ExportState();
        var b = new AdamW(N);
        b.ImportState(new OptimizerState(state.Optimizer, state.Step, state.Buffers.ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Clone())));
        var p2 = (float[])p1.Clone();
        var g = MaskReference.Gaussian(N, 10);
        a.Step(p1, g, 1e-2);
        b.Step(p2, g, 1e-2);
        Assert.That(p2, Is.EqualTo(p1));
        Assert.That(b.StepCount, Is.EqualTo(2));
    }

    [Test]
    public void StateOfTheWrongShapeOrOptimizerIsRejected()
    {
        var a = new AdamW(N);
        var wrongLength = new OptimizerState(OptimizerKind.AdamW, 1, new Dictionary<string, float[]> { ["exp_avg"] = new float[3], ["exp_avg_sq"] = new float[3] });
        Assert.That(Assert.Throws<OrtGmtException>(() => a.ImportState(wrongLength))!.Message, Does.Contain("exp_avg"));
        Assert.Throws<OrtGmtException>(() => a.ImportState(new Sgd(N).ExportState()));
    }

    [Test]
    public void OutOfRangeHyperParametersAreConfigErrors()
    {
        Assert.That(Assert.Throws<ConfigException>(() => new AdamW(1, new AdamWOptions { Beta2 = 1 }))!.Field, Is.EqualTo("adam_beta2"));
        Assert.That(Assert.Throws<ConfigException>(() => new Sgd(1, new SgdOptions { WeightDecay = -1 }))!.Field, Is.EqualTo("weight_decay"));
    }
}
