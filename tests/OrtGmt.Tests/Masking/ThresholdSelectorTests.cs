using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class ThresholdSelectorTests
{
    [TestCaseSource(typeof(MaskReference), nameof(MaskReference.Cases))]
    public void KeepsExactlyTheSetASortKeeps(string kind, int n, double ratio)
    {
        var x = MaskReference.Make(kind, n, seed: 11);
        long k = MaskMath.KeepCount(n, ratio);
        using var selector = new ThresholdSelector();
        float t = selector.Select(x, k);
        var kept = x.Select(v => MathF.Abs(v) >= t).ToArray();
        Assert.That(kept, Is.EqualTo(MaskReference.Kept(x, k)));
        Assert.That(kept.Count(b => b), Is.GreaterThanOrEqualTo(k));
        if (k < n) Assert.That(t, Is.EqualTo(MaskReference.Threshold(x, k)));
    }

    [Test]
    public void DirectSelectionAgreesWithSortForEveryRank()
    {
        var rng = new OrtGmt.Randomness.Rng(17);
        using var selector = new ThresholdSelector();
        for (int trial = 0; trial < 150; trial++)
        {
            int n = 1 + rng.NextInt(120);
            int levels = 1 + rng.NextInt(8);
            var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextInt(levels) - levels / 2) * (trial % 2 == 0 ? 1f : 1e-3f)).ToArray();
            for (int k = 1; k <= n; k++)
            {
                float t = selector.Select(x, k);
                Assert.That(x.Select(v => MathF.Abs(v) >= t), Is.EqualTo(MaskReference.Kept(x, k)), $"trial {trial}, n {n}, k {k}");
            }
        }
    }

    // Large inputs go through the sampled bracket first; these include data that defeats it (heavy
    // ties overflow the candidates; a period equal to the sampling stride biases the sample), where
    // the full radix select must take over, and data it suits (Gaussian, sorted).
    [TestCase("gaussian")]
    [TestCase("ties")]
    [TestCase("equal")]
    [TestCase("zero")]
    [TestCase("periodic")]
    [TestCase("sorted")]
    public void LargeInputsFindTheSortsThreshold(string kind)
    {
        int n = (1 << 20) + 7;
        var x = kind switch
        {
            "periodic" => Enumerable.Range(0, n).Select(i => i % 32 == 0 ? 1f : 1e-3f * (i % 1000)).ToArray(),
            "sorted" => Enumerable.Range(0, n).Select(i => i * 1e-6f).ToArray(),
            _ => MaskReference.Make(kind, n, seed: 8),
        };
        var sorted = x.Select(MathF.Abs).ToArray();
        Array.Sort(sorted);
        using var selector = new ThresholdSelector();
        foreach (double r in new[] { 0.0005, 0.3, 0.9, 0.99 })
        {
            long k = MaskMath.KeepCount(n, r);
            Assert.That(selector.Select(x, k), Is.EqualTo(sorted[n - k]), $"r = {r}");
        }
    }

    [Test]
    public void BracketNarrowsGaussianDataAndGivesUpOnHeavyTies()
    {
        int n = 1 << 21;
        var bracket = new BracketSelect();
        var gaussian = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(MaskReference.Gaussian(n, 3).AsSpan());
        Assert.That(bracket.TryNarrow(gaussian, n / 3, out var candidates, out long rank), Is.True);
        Assert.That(candidates.Length, Is.LessThan(n / 20));
        Assert.That(rank, Is.InRange(1, candidates.Length));
        var equal = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(new float[n].AsSpan());
        Assert.That(bracket.TryNarrow(equal, n / 3, out _, out _), Is.False);
    }

    [Test]
    public void TiesAtTheThresholdAreAllKept()
    {
        float[] x = [5, -3, 3, 3, 1, -3, 0.5f, 3];
        using var selector = new ThresholdSelector();
        float t = selector.Select(x, 2);
        Assert.That(t, Is.EqualTo(3f));
        Assert.That(x.Count(v => MathF.Abs(v) >= t), Is.EqualTo(6));
    }

    [Test]
    public void AllZeroInputKeepsEverything()
    {
        var x = new float[100];
        using var selector = new ThresholdSelector();
        float t = selector.Select(x, 30);
        Assert.That(t, Is.EqualTo(0f));
        Assert.That(x.All(v => MathF.Abs(v) >= t));
    }

    [Test]
    public void TwoThreadsFindTheSameThresholdAsOne()
    {
        var x = MaskReference.Gaussian(ParallelHistograms.MinLength + 12345, seed: 5);
        using var one = new ThresholdSelector();
        using var two = new ThresholdSelector(threads: 2);
        foreach (double r in new[] { 0.1, 0.3, 0.99 })
        {
            long k = MaskMath.KeepCount(x.Length, r);
            float t1 = one.Select(x, k), t2 = two.Select(x, k);
            Assert.That(t2, Is.EqualTo(t1));
            Assert.That(x.Count(v => MathF.Abs(v) >= t1), Is.EqualTo(k), "Gaussian floats have no ties at this size");
        }
    }

    [Test]
    public void NanEntriesRankOnTopButAreNeverKept()
    {
        // Documented behaviour for a gradient that should have been caught by the finite-norm check.
        float[] x = [1, float.NaN, 3, 2, -4, 0.5f];
        using var selector = new ThresholdSelector();
        float t = selector.Select(x, 3);
        Assert.That(t, Is.EqualTo(3f), "NaN takes one of the three top places");
        Assert.That(x.Select(v => MathF.Abs(v) >= t), Is.EqualTo(new[] { false, false, true, false, true, false }));
    }

    [Test]
    public void KeepOutsideOneToNIsRejected()
    {
        using var selector = new ThresholdSelector();
        Assert.Throws<ArgumentOutOfRangeException>(() => selector.Select(new float[4], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => selector.Select(new float[4], 5));
    }
}
