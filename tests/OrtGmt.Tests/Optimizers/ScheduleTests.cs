using OrtGmt.Errors;
using OrtGmt.Optimizers;

namespace OrtGmt.Tests.Optimizers;

public class ScheduleTests
{
    [Test]
    public void CosineWithWarmupFollowsTheHuggingFaceFormula()
    {
        // 100 steps, 3 % warm-up → ceil(3) = 3 warm-up steps.
        var s = LearningRateSchedule.WithWarmupRatio(ScheduleKind.Cosine, 2e-5, 100);
        Assert.That(s.WarmupSteps, Is.EqualTo(3));
        Assert.That(s.At(0), Is.EqualTo(0));
        Assert.That(s.At(1), Is.EqualTo(2e-5 / 3).Within(1e-18));
        Assert.That(s.At(3), Is.EqualTo(2e-5).Within(1e-18));
        for (long t = 3; t <= 100; t++)
        {
            double expected = 2e-5 * 0.5 * (1 + Math.Cos(Math.PI * (t - 3) / 97.0));
            Assert.That(s.At(t), Is.EqualTo(expected).Within(1e-18), $"step {t}");
        }
        Assert.That(s.At(50), Is.EqualTo(2e-5 * 0.5 * (1 + Math.Cos(Math.PI * 47 / 97))).Within(1e-18));
        Assert.That(s.At(100), Is.EqualTo(0).Within(1e-18));
    }

    [Test]
    public void CosineFloorIsAShareOfThePeak()
    {
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 1.0, totalSteps: 11, warmupSteps: 1, minLrRatio: 0.1);
        Assert.That(s.At(1), Is.EqualTo(1.0).Within(1e-15));
        Assert.That(s.At(6), Is.EqualTo(0.1 + 0.9 * 0.5).Within(1e-15));
        Assert.That(s.At(11), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(s.At(500), Is.EqualTo(0.1).Within(1e-15));
    }

    [Test]
    public void LinearAndConstantShapes()
    {
        var lin = new LearningRateSchedule(ScheduleKind.Linear, 1.0, totalSteps: 10, warmupSteps: 2);
        Assert.That(lin.At(1), Is.EqualTo(0.5));
        Assert.That(lin.At(2), Is.EqualTo(1.0));
        Assert.That(lin.At(6), Is.EqualTo(0.5).Within(1e-15));
        Assert.That(lin.At(10), Is.EqualTo(0.0));
        var constant = new LearningRateSchedule(ScheduleKind.Constant, 3e-4, totalSteps: 10, warmupSteps: 4);
        Assert.That(constant.At(2), Is.EqualTo(1.5e-4).Within(1e-18));
        Assert.That(constant.At(9), Is.EqualTo(3e-4));
        Assert.That(new LearningRateSchedule(ScheduleKind.Constant, 3e-4, 10, 0).At(0), Is.EqualTo(3e-4));
    }

    [Test]
    public void BadValuesNameTheirField()
    {
        Assert.That(Assert.Throws<ConfigException>(() => new LearningRateSchedule(ScheduleKind.Cosine, 1, 10, 11))!.Field, Is.EqualTo("warmup_steps"));
        Assert.That(Assert.Throws<ConfigException>(() => LearningRateSchedule.WithWarmupRatio(ScheduleKind.Cosine, 1, 10, 1.5))!.Field, Is.EqualTo("warmup_ratio"));
        Assert.That(Assert.Throws<ConfigException>(() => new LearningRateSchedule(ScheduleKind.Cosine, 1, 10, 0, 2))!.Field, Is.EqualTo("min_lr_ratio"));
    }
}
