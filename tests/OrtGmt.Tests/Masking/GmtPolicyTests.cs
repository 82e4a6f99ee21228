using OrtGmt.Layout;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class GmtPolicyTests
{
    internal static readonly (long, long)[] Segments = [(0, 300), (300, 1), (301, 64), (365, 1000), (1365, 7)];

    [TestCase(0.0)]
    [TestCase(0.3)]
    [TestCase(0.99)]
    public void TensorScopeKeepsEachSegmentsTopShare(double ratio)
    {
        var layout = new FlatLayout(Segments);
        var g = MaskReference.Ties(layout.TotalElements, seed: 3);
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        using var policy = new GmtPolicy(ratio);
        policy.Select(g, plan);
        var mask = new bool[g.Length];
        plan.WriteBooleans(g, mask);
        for (int s = 0; s < layout.Count; s++)
        {
            var seg = layout.Segments[s];
            var slice = g.AsSpan(seg.Offset, seg.Numel);
            Assert.That(mask.AsSpan(seg.Offset, seg.Numel).ToArray(), Is.EqualTo(MaskReference.Kept(slice, MaskMath.KeepCount(seg.Numel, ratio))), $"segment {s}");
            Assert.That(MaskReference.KeptPerSegment(plan, g)[s], Is.EqualTo(mask.AsSpan(seg.Offset, seg.Numel).ToArray().Count(b => b)));
        }
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(0.99)]
    public void GlobalScopeKeepsTheTopShareOfTheWholeBuffer(double ratio)
    {
        var layout = new FlatLayout(Segments);
        var g = MaskReference.Gaussian(layout.TotalElements, seed: 4);
        // Make one segment dominate: a global threshold keeps mostly its entries.
        for (int i = 365; i < 1365; i++) g[i] *= 100;
        var plan = new GradientMask(layout, MaskedEntryMode.ZeroGrad);
        using var policy = new GmtPolicy(ratio, MaskScope.Global);
        policy.Select(g, plan);
        var mask = new bool[g.Length];
        plan.WriteBooleans(g, mask);
        Assert.That(mask, Is.EqualTo(MaskReference.Kept(g, MaskMath.KeepCount(g.Length, ratio))));
        if (ratio == 0.5) Assert.That(MaskReference.KeptPerSegment(plan, g)[0], Is.EqualTo(0));
    }
}
