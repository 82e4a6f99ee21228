using OrtGmt.Masking;
using OrtGmt.Randomness;

namespace OrtGmt.Tests.Masking;

public class DeltaDropTests
{
    private static (float[] Pre, float[] Tuned) Pair(int n, ulong seed)
    {
        var pre = MaskReference.Gaussian(n, seed, 1f);
        var delta = MaskReference.Ties(n, seed + 1);
        return (pre, pre.Select((p, i) => p + delta[i]).ToArray());
    }

    [TestCase(0.3)]
    [TestCase(0.9)]
    public void TrivialDropResetsExactlyTheSmallestDeltas(double ratio)
    {
        var (pre, tuned) = Pair(500, 1);
        var result = new float[500];
        long dropped = DeltaDrop.Apply(pre, tuned, result, ratio, DropStrategy.Trivial, new Rng(0));
        long m = MaskMath.MaskedCount(500, ratio);
        Assert.That(dropped, Is.EqualTo(m));
        var reset = Enumerable.Range(0, 500).Where(i => result[i] != tuned[i]).ToArray();
        Assert.That(reset.Length, Is.LessThanOrEqualTo(m), "a reset entry whose delta is zero leaves the value unchanged");
        // Every reset delta is no larger than every surviving one.
        float maxReset = Enumerable.Range(0, 500).Where(i => result[i] == pre[i]).Max(i => MathF.Abs(tuned[i] - pre[i]));
        float minKept = Enumerable.Range(0, 500).Where(i => result[i] == tuned[i] && pre[i] != tuned[i]).Min(i => MathF.Abs(tuned[i] - pre[i]));
        Assert.That(maxReset, Is.LessThanOrEqualTo(minKept));
        Assert.That(Enumerable.Range(0, 500).All(i => result[i] == pre[i] || result[i] == tuned[i]));
    }

    [Test]
    public void SalientDropResetsTheLargestDeltasWithTiesInIndexOrder()
    {
        float[] pre = [0, 0, 0, 0, 0, 0];
        float[] tuned = [1, -3, 3, 2, 3, 0.5f];
        var result = new float[6];
        Assert.That(DeltaDrop.Apply(pre, tuned, result, 0.5, DropStrategy.Salient, new Rng(0)), Is.EqualTo(3));
        Assert.That(result, Is.EqualTo(new float[] { 1, 0, 0, 2, 0, 0.5f }));
        Assert.That(DeltaDrop.Apply(pre, tuned, result, 0.34, DropStrategy.Salient, new Rng(0)), Is.EqualTo(2));
        Assert.That(result, Is.EqualTo(new float[] { 1, 0, 0, 2, 3, 0.5f }));
        Assert.That(DeltaDrop.Apply(pre, tuned, result, 0.5, DropStrategy.Trivial, new Rng(0)), Is.EqualTo(3));
        Assert.That(result, Is.EqualTo(new float[] { 0, -3, 3, 0, 3, 0 }));
    }

    [Test]
    public void RandomDropResetsExactlyTheCountAndDependsOnTheSeed()
    {
        var (pre, tuned) = Pair(400, 3);
        var a = new float[400];
        var b = new float[400];
        Assert.That(DeltaDrop.Apply(pre, tuned, a, 0.25, DropStrategy.Random, new Rng(1)), Is.EqualTo(100));
        Assert.That(Enumerable.Range(0, 400).Count(i => a[i] != tuned[i]), Is.EqualTo(Enumerable.Range(0, 400).Count(i => a[i] == pre[i] && pre[i] != tuned[i])));
        DeltaDrop.Apply(pre, tuned, b, 0.25, DropStrategy.Random, new Rng(2));
        Assert.That(b, Is.Not.EqualTo(a));
    }

    [Test]
    public void AllEqualDeltasStillDropTheExactCount()
    {
        var pre = new float[10];
        var tuned = Enumerable.Repeat(0.5f, 10).ToArray();
        var result = new float[10];
        foreach (var s in new[] { DropStrategy.Trivial, DropStrategy.Salient })
        {
            Assert.That(DeltaDrop.Apply(pre, tuned, result, 0.3, s, new Rng(0)), Is.EqualTo(3));
            Assert.That(result.Count(x => x == 0), Is.EqualTo(3));
        }
        Assert.That(DeltaDrop.Apply(pre, tuned, result, 0, DropStrategy.Trivial, new Rng(0)), Is.Zero);
        Assert.That(result, Is.EqualTo(tuned));
    }

    [Test]
    public void GlobalScopeCutsAcrossTensors()
    {
        float[][] pre = [new float[4], new float[4]];
        float[][] tuned = [[0.1f, 0.2f, 0.3f, 0.4f], [10, 20, 30, 40]];
        var (perTensor, c1) = DeltaDrop.ApplyAll(pre, tuned, 0.5, DropStrategy.Trivial, MaskScope.Tensor, 0);
        var (global, c2) = DeltaDrop.ApplyAll(pre, tuned, 0.5, DropStrategy.Trivial, MaskScope.Global, 0);
        Assert.That((c1, c2), Is.EqualTo((4L, 4L)));
        Assert.That(perTensor[0], Is.EqualTo(new[] { 0f, 0f, 0.3f, 0.4f }));
        Assert.That(global[0], Is.EqualTo(new float[4]));
        Assert.That(global[1], Is.EqualTo(tuned[1]));
    }
}
