using OrtGmt.Randomness;

namespace OrtGmt.Tests.Randomness;

public class RngTests
{
    [Test]
    public void SameSeedGivesSameSequence()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
        Assert.That(new Rng(43).NextUInt64(), Is.Not.EqualTo(new Rng(42).NextUInt64()));
    }

    [Test]
    public void RestoredStateContinuesExactly()
    {
        var a = new Rng(7);
        a.NextGaussian();
        var restored = Rng.FromState(a.State);
        for (int i = 0; i < 50; i++) Assert.That(restored.NextGaussian(), Is.EqualTo(a.NextGaussian()));
    }

    [Test]
    public void GaussianHasUnitMomentsAndUniformIsInRange()
    {
        var r = new Rng(1);
        double sum = 0, sq = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++) { double g = r.NextGaussian(); sum += g; sq += g * g; }
        Assert.That(sum / n, Is.EqualTo(0).Within(0.01));
        Assert.That(sq / n, Is.EqualTo(1).Within(0.02));
        for (int i = 0; i < 10_000; i++) Assert.That(r.NextInt(7), Is.InRange(0, 6));
    }
}
