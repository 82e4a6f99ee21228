using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;

namespace OrtGmt.Tests.Optimizers;

public class SgdTests
{
    private const int N = 131;

    [TestCase(MaskedEntryMode.Freeze)]
    [TestCase(MaskedEntryMode.ZeroGrad)]
    public void MaskedStepsMatchTheFormulaWrittenOut(MaskedEntryMode mode)
    {
        var layout = new FlatLayout([(0L, 60L), (60L, 71L)]);
        var p = MaskReference.Gaussian(N, seed: 1, scale: 1f);
        var reference = new OptimizerReference(p);
        var opt = new Sgd(N, new SgdOptions { Momentum = 0.9, WeightDecay = 0.05 });
        var policy = new RmtPolicy(0.5, seed: 3);
        var plan = new GradientMask(layout, mode);
        var keep = new bool[N];
        for (int step = 0; step < 4; step++)
        {
            var g = MaskReference.Gaussian(N, seed: 50 + (ulong)step, scale: 0.1f);
            policy.Select(g, plan);
            plan.WriteBooleans(g, keep);
            opt.Step(p, g, 0.1, plan);
            reference.Sgd(g, keep, mode == MaskedEntryMode.Freeze, 0.1, 0.05, 0.9);
        }
        OptimizerReference.AssertClose(p, reference.P, 1e-5, "θ");
        // In freeze mode an entry first kept at step s starts its buffer at g, as PyTorch's clone would.
        OptimizerReference.AssertClose(opt.MomentumBuffer, reference.M, 1e-5, "buf");
    }
}
