using OrtGmt.Errors;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class MaskMathTests
{
    [TestCase(10, 0.3, 7)]
    [TestCase(10, 0.7, 3)]
    [TestCase(100, 0.29, 71)]
    [TestCase(100, 0.57, 43)]
    [TestCase(1000, 0.1, 900)]
    [TestCase(3, 0.5, 2)]
    public void ExactProductsAreNotRoundedDown(long n, double r, long kept) =>
        Assert.That(MaskMath.KeepCount(n, r), Is.EqualTo(kept));

    [Test]
    public void RatioZeroKeepsAllAndHighRatiosKeepAtLeastOne()
    {
        Assert.That(MaskMath.KeepCount(12345, 0), Is.EqualTo(12345));
        Assert.That(MaskMath.KeepCount(1, 0.99), Is.EqualTo(1));
        Assert.That(MaskMath.KeepCount(50, 0.99), Is.EqualTo(1));
        Assert.That(MaskMath.KeepCount(1000, 0.99), Is.EqualTo(10));
        Assert.That(MaskMath.MaskedCount(1000, 0.99), Is.EqualTo(990));
    }

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void RatiosOutsideTheUnitIntervalAreConfigErrors(double r)
    {
        var e = Assert.Throws<ConfigException>(() => MaskMath.KeepCount(10, r));
        Assert.That(e!.Field, Is.EqualTo("mask_ratio"));
    }
}
