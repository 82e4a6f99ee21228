using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Tests.Training.Update;

/// <summary>
/// The host and graph update steps, driven through whole training sessions on the same batches:
/// each step keeps the same entries, reports the same kept counts, and leaves the same parameters.
/// </summary>
public class UpdateStepParityTests : TinyArtifactsFixture
{
    private const int Steps = 3;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var optimizer in Enum.GetValues<OptimizerKind>())
            foreach (var mode in Enum.GetValues<MaskedEntryMode>())
            {
                foreach (var scope in Enum.GetValues<MaskScope>())
                    yield return new TestCaseData(TrainingMethod.Gmt, scope, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Rmt, MaskScope.Tensor, mode, optimizer);
                yield return new TestCaseData(TrainingMethod.Hft, MaskScope.Tensor, mode, optimizer);
            }
    }

    private GmtTrainingSession Open(TrainingMethod method, MaskScope scope, MaskedEntryMode mode, OptimizerKind optimizer, UpdateStepKind update)
    {
        var session = new GmtTrainingSession(GmtCheckpointState.FromArtifacts(Artifacts), Artifacts, new GmtTrainingSessionOptions
        {
            Threads = 1,
            Method = method,
            MaskRatio = 0.4,
            MaskScope = scope,
            MaskMode = mode,
            Seed = 11,
            Optimizer = optimizer,
            AdamW = new AdamWOptions { WeightDecay = 0.01 },
            Sgd = new SgdOptions { WeightDecay = 0.01 },
            UpdateStep = update,
        });
        session.SetLearningRate(0.01);
        return session;
    }

    [TestCaseSource(nameof(Cases))]
    public void HostAndGraphKeepTheSameEntriesAndLeaveTheSameParameters(TrainingMethod method, MaskScope scope, MaskedEntryMode mode, OptimizerKind optimizer)
    {
        using var host = Open(method, scope, mode, optimizer, UpdateStepKind.Host);
        using var graph = Open(method, scope, mode, optimizer, UpdateStepKind.Graph);
        for (int step = 0; step < Steps; step++)
        {
            var batch = TinyArtifacts.Batch(20 + (ulong)step);
            var before = host.Parameters.ToArray();
            host.TrainStep(batch);
            graph.TrainStep(batch);
            var h = host.OptimizerStep();
            var g = graph.OptimizerStep();
            string at = $"step {step + 1}";

            Assert.That(g.Kept.PerParameter.ToArray(), Is.EqualTo(h.Kept.PerParameter.ToArray()), $"{at}: kept per parameter");
            Assert.That(g.Kept.Share, Is.EqualTo(h.Kept.Share), $"{at}: kept overall");
            foreach (var c in h.Kept.Categories) Assert.That(g.Kept.ShareOf(c), Is.EqualTo(h.Kept.ShareOf(c)), $"{at}: kept in {c}");
            for (int l = 0; l < h.Kept.Layers; l++) Assert.That(g.Kept.ShareOfLayer(l), Is.EqualTo(h.Kept.ShareOfLayer(l)), $"{at}: kept in layer {l}");
            if (mode == MaskedEntryMode.Freeze)
            {
                // Frozen entries keep their value, so the entries that moved are the kept set (less the
                // few kept ones whose update happens to be zero, on both paths alike).
                Assert.That(Moved(before, graph.Parameters), Is.EqualTo(Moved(before, host.Parameters)), $"{at}: kept set");
            }
            AssertSameParameters(host.Parameters, graph.Parameters, at);
        }
        Assert.That(graph.StepCount, Is.EqualTo(host.StepCount));
    }

    private static bool[] Moved(float[] before, ReadOnlySpan<float> after)
    {
        var moved = new bool[before.Length];
        for (int i = 0; i < before.Length; i++) moved[i] = before[i] != after[i];
        return moved;
    }

    private static void AssertSameParameters(ReadOnlySpan<float> host, ReadOnlySpan<float> graph, string at)
    {
        int differing = 0;
        for (int i = 0; i < host.Length; i++)
        {
            if (Math.Abs(host[i] - graph[i]) > 1e-6f * (1 + Math.Abs(host[i]))) differing++;
        }
        Assert.That(differing, Is.Zero, $"{at}: entries differing between host and graph ({host.Length} in all)");
    }
}
