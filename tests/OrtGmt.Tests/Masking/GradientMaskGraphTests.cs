using OrtGmt.Layout;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class GradientMaskGraphTests
{
    // The graph's mask, after checking that its kept counts match the host's per segment.
    private static bool[] RunTensorScope(float[] g, (long, long)[] segments, double ratio)
    {
        var model = GradientMaskGraphs.BuildTensorScope(segments);
        var counts = GradientMaskGraphs.KeepCounts(segments, ratio);
        var outputs = OrtRunner.Run(model, new Dictionary<string, (Array, long[])>
        {
            [GradientMaskGraphs.GradInput] = (g, [g.Length]),
            [GradientMaskGraphs.KeepCountsInput] = (counts, [counts.Length]),
        });
        Assert.That(outputs[GradientMaskGraphs.KeptCountsOutput], Is.EqualTo(HostKept(g, new FlatLayout(segments), ratio, MaskScope.Tensor)), "kept counts");
        return (bool[])outputs[GradientMaskGraphs.MaskOutput];
    }

    private static bool[] HostMask(float[] g, FlatLayout layout, double ratio, MaskScope scope)
    {
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        using var policy = new GmtPolicy(ratio, scope);
        policy.Select(g, plan);
        var mask = new bool[g.Length];
        plan.WriteBooleans(g, mask);
        return mask;
    }

    private static long[] HostKept(float[] g, FlatLayout layout, double ratio, MaskScope scope)
    {
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        using var policy = new GmtPolicy(ratio, scope);
        policy.Select(g, plan);
        return MaskReference.KeptPerSegment(plan, g);
    }

    [TestCaseSource(typeof(MaskReference), nameof(MaskReference.Cases))]
    public void TensorScopeGraphKeepsTheHostsAndTheSortsSet(string kind, int n, double ratio)
    {
        var x = MaskReference.Make(kind, n, seed: 21);
        // The same data as one segment, and split into three uneven segments.
        var whole = RunTensorScope(x, [(0, n)], ratio);
        Assert.That(whole, Is.EqualTo(MaskReference.Kept(x, MaskMath.KeepCount(n, ratio))));
        Assert.That(whole, Is.EqualTo(HostMask(x, FlatLayout.Single(n), ratio, MaskScope.Tensor)));
        if (n >= 10)
        {
            (long, long)[] segs = [(0, 3), (3, n / 2 - 3), (n / 2, n - n / 2)];
            Assert.That(RunTensorScope(x, segs, ratio), Is.EqualTo(HostMask(x, new FlatLayout(segs), ratio, MaskScope.Tensor)));
        }
    }

    [TestCase(0.0)]
    [TestCase(0.3)]
    [TestCase(0.99)]
    public void GlobalScopeGraphKeepsTheHostsSet(double ratio)
    {
        var x = MaskReference.Ties(777, seed: 5);
        (long, long)[] segments = [(0, 100), (100, 677)];
        var outputs = OrtRunner.Run(GradientMaskGraphs.BuildGlobalScope(segments), new Dictionary<string, (Array, long[])>
        {
            [GradientMaskGraphs.GradInput] = (x, [x.Length]),
            [GradientMaskGraphs.KeepCountInput] = (new[] { MaskMath.KeepCount(x.Length, ratio) }, [1]),
        });
        var layout = new FlatLayout(segments);
        Assert.That(outputs[GradientMaskGraphs.MaskOutput], Is.EqualTo(HostMask(x, layout, ratio, MaskScope.Global)));
        Assert.That(outputs[GradientMaskGraphs.MaskOutput], Is.EqualTo(MaskReference.Kept(x, MaskMath.KeepCount(x.Length, ratio))));
        var mask = (bool[])outputs[GradientMaskGraphs.MaskOutput];
        Assert.That(outputs[GradientMaskGraphs.KeptCountsOutput], Is.EqualTo(new[] { mask[..100].Count(k => k), mask[100..].Count(k => k) }.Select(c => (long)c).ToArray()));
        Assert.That(outputs[GradientMaskGraphs.KeptCountsOutput], Is.EqualTo(HostKept(x, layout, ratio, MaskScope.Global)));
    }
}
