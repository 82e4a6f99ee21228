using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Tests.Masking;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Tests.Training.Update;

public class KeptCountsTests : TinyArtifactsFixture
{
    [Test]
    public void SharesAreKeptOverTotalOverallPerCategoryAndPerLayer()
    {
        var parameters = HftPolicyTests.TinyTransformer();
        var counts = new KeptCounts(parameters);
        for (int i = 0; i < parameters.Length; i++) counts.Slots[i] = parameters[i].Numel / (i % 3 + 1);
        counts.Tally();

        long Sum(Func<ParameterEntry, bool> which, Func<int, long> of) =>
            Enumerable.Range(0, parameters.Length).Where(i => which(parameters[i])).Sum(of);
        long Kept(Func<ParameterEntry, bool> which) => Sum(which, i => counts.Slots[i]);
        long Total(Func<ParameterEntry, bool> which) => Sum(which, i => parameters[i].Numel);

        Assert.That(counts.Total, Is.EqualTo(Kept(_ => true)));
        Assert.That(counts.Share, Is.EqualTo((double)Kept(_ => true) / Total(_ => true)));
        Assert.That(counts.Categories, Is.EqualTo(new[] { ParameterCategory.Embed, ParameterCategory.Attn, ParameterCategory.Mlp, ParameterCategory.Norm, ParameterCategory.Head }));
        foreach (var c in counts.Categories)
            Assert.That(counts.ShareOf(c), Is.EqualTo((double)Kept(p => p.Category == c) / Total(p => p.Category == c)), c.ToString());
        Assert.That(counts.ShareOf(ParameterCategory.Other), Is.Zero);
        Assert.That(counts.Layers, Is.EqualTo(3));
        for (int l = 0; l < 3; l++)
            Assert.That(counts.ShareOfLayer(l), Is.EqualTo((double)Kept(p => p.Layer == l) / Total(p => p.Layer == l)), $"layer {l}");

        counts.Clear();
        Assert.That((counts.Total, counts.Share, counts.ShareOfLayer(1)), Is.EqualTo((0L, 0.0, 0.0)));
    }

    [TestCase(UpdateStepKind.Host, MaskScope.Tensor)]
    [TestCase(UpdateStepKind.Graph, MaskScope.Tensor)]
    [TestCase(UpdateStepKind.Host, MaskScope.Global)]
    [TestCase(UpdateStepKind.Graph, MaskScope.Global)]
    public void AGmtStepReportsTheEntriesWhoseGradientReachesTheThreshold(UpdateStepKind update, MaskScope scope)
    {
        var state = GmtCheckpointState.FromArtifacts(Artifacts);
        using var session = new GmtTrainingSession(state, Artifacts, new GmtTrainingSessionOptions
        {
            Threads = 1,
            Method = TrainingMethod.Gmt,
            MaskRatio = 0.3,
            MaskScope = scope,
            UpdateStep = update,
        });
        session.TrainStep(TinyArtifacts.Batch(3));
        var report = session.OptimizerStep();
        var gamma = session.Gradients.ToArray();
        var ps = state.Manifest.Parameters;
        float global = MaskReference.Threshold(gamma, MaskMath.KeepCount(gamma.Length, 0.3));
        for (int i = 0; i < ps.Length; i++)
        {
            var g = gamma.AsSpan((int)ps[i].Offset, (int)ps[i].Numel);
            float t = scope == MaskScope.Global ? global : MaskReference.Threshold(g, MaskMath.KeepCount(g.Length, 0.3));
            long expected = 0;
            foreach (float x in g) if (MathF.Abs(x) >= t) expected++;
            Assert.That(report.Kept.PerParameter[i], Is.EqualTo(expected), ps[i].Name);
        }
    }

    [Test]
    public void ANonFiniteGradientSkipsTheStepAndKeepsNothing()
    {
        var parameters = HftPolicyTests.TinyTransformer();
        int n = (int)parameters.Sum(p => p.Numel);
        var theta = MaskReference.Gaussian(n, 1, 1f);
        var before = theta.ToArray();
        var gradients = MaskReference.Gaussian(n, 2);
        gradients[17] = float.NaN;
        using var step = new HostUpdateStep(new GmtPolicy(0.3), new AdamW(n), FlatLayout.FromParameters(parameters), MaskedEntryMode.Freeze,
            new GradientPrep(maxGradNorm: null), new KeptCounts(parameters), theta, gradients);
        var report = step.Apply(microBatches: 1, learningRate: 1e-3);
        Assert.That(report.Skipped, Is.True);
        Assert.That(double.IsNaN(report.GradNorm), Is.True);
        Assert.That(report.Kept.Total, Is.Zero);
        Assert.That(step.StepCount, Is.Zero);
        Assert.That(theta, Is.EqualTo(before));
    }
}
