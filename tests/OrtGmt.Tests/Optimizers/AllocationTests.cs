using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

public class AllocationTests
{
    [Test]
    public void MaskingAndSteppingAllocateNothingAfterTheFirstStep()
    {
        var layout = new FlatLayout([(0L, 5000L), (5000L, 17L), (5017L, ParallelHistograms.MinLength + 3L)]);
        int n = layout.TotalElements;
        var p = MaskReference.Gaussian(n, 1, 1f);
        var g = MaskReference.Gaussian(n, 2);
        using var gmt = new GmtPolicy(0.3, MaskScope.Tensor, threads: 2);
        using var gmtGlobal = new GmtPolicy(0.3, MaskScope.Global);
        IMaskPolicy[] policies = [gmt, gmtGlobal, new RmtPolicy(0.3, 1), new SftPolicy()];
        IFlatOptimizer[] optimizers = [new AdamW(n), new Sgd(n)];
        foreach (var mode in new[] { MaskedEntryMode.Freeze, MaskedEntryMode.ZeroGrad })
        {
            var plan = new GradientMask(layout, mode);
            var kept = new long[layout.Count];
            foreach (var policy in policies)
                foreach (var opt in optimizers)
                {
                    void Step()
                    {
                        GradientClipping.ClipByGlobalNorm(g, 1.0);
                        policy.Select(g, plan);
                        opt.Step(p, g, 1e-3, plan, kept);
                    }
                    Step();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Step();
                    Step();
                    Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, $"{policy.Method} {opt.Kind} {mode}");
                }
        }
    }
}
