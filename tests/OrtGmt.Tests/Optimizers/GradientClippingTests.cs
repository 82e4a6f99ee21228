using OrtGmt.Optimizers;

namespace OrtGmt.Tests.Optimizers;

public class GradientClippingTests
{
    [Test]
    public void NormIsAccumulatedInDouble()
    {
        var g = Enumerable.Range(0, 1001).Select(i => (float)(i % 7 - 3) * 0.1f).ToArray();
        double expected = Math.Sqrt(g.Sum(x => (double)x * x));
        Assert.That(GradientClipping.GlobalNorm(g), Is.EqualTo(expected).Within(1e-12 * expected));
    }

    [Test]
    public void LargeGradientsAreScaledToTheMaxNormAndTheOldNormReturned()
    {
        var g = Enumerable.Repeat(3f, 100).ToArray(); // norm 30
        double norm = GradientClipping.ClipByGlobalNorm(g, 1.0);
        Assert.That(norm, Is.EqualTo(30).Within(1e-9));
        Assert.That(g[99], Is.EqualTo((float)(3 * (1.0 / (30 + 1e-6)))));
        Assert.That(GradientClipping.GlobalNorm(g), Is.EqualTo(1.0).Within(1e-6));
    }

    [Test]
    public void SmallGradientsAreLeftAlone()
    {
        float[] g = [0.1f, -0.2f, 0.3f];
        GradientClipping.ClipByGlobalNorm(g, 1.0);
        Assert.That(g, Is.EqualTo(new[] { 0.1f, -0.2f, 0.3f }));
    }

    [Test]
    public void NonFiniteGradientsGiveANonFiniteNormAndAreNotScaled()
    {
        var g = new float[40];
        g[17] = float.NaN;
        Assert.That(double.IsFinite(GradientClipping.ClipByGlobalNorm(g, 1.0)), Is.False);
        g[17] = float.PositiveInfinity;
        Assert.That(GradientClipping.GlobalNorm(g), Is.EqualTo(double.PositiveInfinity));
    }
}
