using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

/// <summary>The fused optimizer pass counts the entries it keeps, segment by segment, as it steps.</summary>
public class KeptCountTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var mode in Enum.GetValues<MaskedEntryMode>())
            foreach (var optimizer in Enum.GetValues<OptimizerKind>())
            {
                yield return new TestCaseData(TrainingMethod.Gmt, MaskScope.Tensor, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Gmt, MaskScope.Global, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Rmt, MaskScope.Tensor, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Hft, MaskScope.Tensor, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Sft, MaskScope.Tensor, mode, optimizer);
            }
    }

    [TestCaseSource(nameof(Cases))]
    public void TheStepCountsWhatTheMaskKeeps(TrainingMethod method, MaskScope scope, MaskedEntryMode mode, OptimizerKind optimizer)
    {
        var parameters = HftPolicyTests.TinyTransformer();
        var layout = FlatLayout.FromParameters(parameters);
        int n = layout.TotalElements;
        var p = MaskReference.Gaussian(n, 1, 1f);
        using var policy = MaskPolicies.Create(method, 0.3, scope, seed: 5, parameters);
        IFlatOptimizer opt = optimizer == OptimizerKind.AdamW ? new AdamW(n) : new Sgd(n);
        var plan = new GradientMask(layout, mode);
        var kept = new long[layout.Count];
        for (ulong step = 0; step < 3; step++)
        {
            // Ties, so entries equal to the threshold must be counted as kept too.
            var g = MaskReference.Ties(n, 40 + step);
            policy.Select(g, plan);
            var expected = new long[layout.Count];
            var mask = new bool[n];
            plan.WriteBooleans(g, mask);
            for (int s = 0; s < layout.Count; s++) expected[s] = mask.AsSpan(layout.Segments[s].Offset, layout.Segments[s].Numel).Count(true);
            Array.Fill(kept, -1);
            opt.Step(p, g, 1e-3, plan, kept);
            Assert.That(kept, Is.EqualTo(expected), $"step {step + 1}");
            Assert.That(MaskReference.KeptPerSegment(plan, g), Is.EqualTo(expected), $"step {step + 1}: the boolean-mask writer's count");
        }
    }

    [Test]
    public void KeptCountsMustMatchTheLayout()
    {
        var layout = new FlatLayout([(0L, 10L), (10L, 6L)]);
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        plan.KeepAll();
        var e = Assert.Throws<ArgumentException>(() => new AdamW(16).Step(new float[16], new float[16], 1e-3, plan, new long[3]))!;
        Assert.That(e.Message, Does.Contain("3 kept counts for 2 segments"));
    }
}
