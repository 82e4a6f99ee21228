using OrtGmt.Layout;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class RmtPolicyTests
{
    [TestCase(0.0)]
    [TestCase(0.3)]
    [TestCase(0.99)]
    public void MasksExactlyAsManyEntriesAsGmtPerSegment(double ratio)
    {
        var layout = new FlatLayout(GmtPolicyTests.Segments);
        var g = new float[layout.TotalElements];
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        var policy = new RmtPolicy(ratio, seed: 9);
        for (int step = 0; step < 3; step++)
        {
            policy.Select(g, plan);
            for (int s = 0; s < layout.Count; s++)
                Assert.That(MaskReference.KeptPerSegment(plan, g)[s], Is.EqualTo(MaskMath.KeepCount(layout.Segments[s].Numel, ratio)));
        }
    }

    [Test]
    public void GlobalScopeMasksExactlyTheGlobalCount()
    {
        var layout = new FlatLayout(GmtPolicyTests.Segments);
        var g = new float[layout.TotalElements];
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        new RmtPolicy(0.4, seed: 1, MaskScope.Global).Select(g, plan);
        Assert.That(MaskReference.KeptPerSegment(plan, g).Sum(), Is.EqualTo(MaskMath.KeepCount(g.Length, 0.4)));
    }

    [Test]
    public void MaskIsFreshEachStepAndReproducibleFromSeedOrState()
    {
        var layout = FlatLayout.Single(500);
        var g = new float[500];
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        bool[] Mask(RmtPolicy p)
        {
            p.Select(g, plan);
            var m = new bool[500];
            plan.WriteBooleans(g, m);
            return m;
        }
        var a = new RmtPolicy(0.5, seed: 2);
        var first = Mask(a);
        var saved = a.ExportState();
        var second = Mask(a);
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(Mask(new RmtPolicy(0.5, seed: 2)), Is.EqualTo(first));
        var resumed = new RmtPolicy(0.5, seed: 77);
        resumed.ImportState(saved);
        Assert.That(Mask(resumed), Is.EqualTo(second));
        Assert.That(Mask(new RmtPolicy(0.5, seed: 3)), Is.Not.EqualTo(first));
    }

    [Test]
    public void EveryEntryIsMaskedAboutRTimesOften()
    {
        var layout = FlatLayout.Single(50);
        var g = new float[50];
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        var policy = new RmtPolicy(0.3, seed: 4);
        var kept = new int[50];
        var m = new bool[50];
        const int steps = 4000;
        for (int step = 0; step < steps; step++)
        {
            policy.Select(g, plan);
            plan.WriteBooleans(g, m);
            for (int i = 0; i < 50; i++) if (m[i]) kept[i]++;
        }
        // Binomial(4000, 0.7): standard deviation ≈ 29; 6 sigma either side.
        Assert.That(kept.Min(), Is.GreaterThan(2800 - 175));
        Assert.That(kept.Max(), Is.LessThan(2800 + 175));
    }
}
