using OrtGmt.Artifacts;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Tests.Training.Session;

public class GmtTrainingSessionTests : TinyArtifactsFixture
{
    private GmtTrainingSession Open(GmtTrainingSessionOptions? options = null) =>
        new(GmtCheckpointState.FromArtifacts(Artifacts), Artifacts, (options ?? new GmtTrainingSessionOptions()) with { Threads = 1 });

    [Test]
    public void AccumulatedGradientIsTheMeanOfTheMicroBatchGradients()
    {
        var a = TinyArtifacts.Batch(1);
        var b = TinyArtifacts.Batch(2);
        using var single = Open();
        single.TrainStep(a);
        var ga = single.Gradients.ToArray();
        single.LazyResetGrad();
        single.TrainStep(b);
        var gb = single.Gradients.ToArray();

        using var accumulated = Open(new GmtTrainingSessionOptions { Optimizer = OptimizerKind.Sgd });
        accumulated.SetLearningRate(0);
        accumulated.TrainStep(a);
        accumulated.TrainStep(b);
        accumulated.OptimizerStep();
        var mean = accumulated.Gradients;
        for (int i = 0; i < ga.Length; i++) Assert.That(mean[i], Is.EqualTo((ga[i] + gb[i]) / 2).Within(1e-6f + 1e-4f * Math.Abs(ga[i] + gb[i])), $"entry {i}");
    }

    [Test]
    public void OptimizerStepConsumesTheGradientSoTheNextTrainStepStartsAfresh()
    {
        var a = TinyArtifacts.Batch(1);
        var b = TinyArtifacts.Batch(2);
        using var session = Open(new GmtTrainingSessionOptions { Optimizer = OptimizerKind.Sgd });
        session.SetLearningRate(0);
        session.TrainStep(a);
        session.OptimizerStep();
        session.TrainStep(b);
        var afterStep = session.Gradients.ToArray();
        session.LazyResetGrad();
        session.TrainStep(b);
        Assert.That(afterStep, Is.EqualTo(session.Gradients.ToArray()));
    }

    [TestCase(UpdateStepKind.Host)]
    [TestCase(UpdateStepKind.Graph)]
    public void TrainingStepsAllocateNothingOnceWarm(UpdateStepKind update)
    {
        using var session = Open(new GmtTrainingSessionOptions { Method = TrainingMethod.Gmt, MaskRatio = 0.3, UpdateStep = update });
        var batch = TinyArtifacts.Batch(3);
        for (int i = 0; i < 2; i++)
        {
            session.LazyResetGrad();
            session.TrainStep(batch);
            session.TrainStep(batch);
            session.OptimizerStep();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            session.LazyResetGrad();
            session.TrainStep(batch);
            session.TrainStep(batch);
            session.OptimizerStep();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated by 5 steps of 2 micro-batches");
    }

    [Test]
    public void CheckpointRoundTripRestoresParametersAndOptimizerState()
    {
        string ckpt = Path.Combine(Dir, "ckpt");
        float[] expectedParams;
        OrtGmt.Optimizers.OptimizerState expectedState;
        {
            var state = GmtCheckpointState.FromArtifacts(Artifacts);
            using var session = new GmtTrainingSession(state, Artifacts, new GmtTrainingSessionOptions { Threads = 1 });
            session.TrainStep(TinyArtifacts.Batch(5));
            session.OptimizerStep();
            expectedParams = session.Parameters.ToArray();
            expectedState = session.ExportOptimizerState();
            state.Save(ckpt, expectedState, session.ExportMaskPolicyState(), new TrainerState { Step = 1, Method = TrainingMethod.Sft });
            expectedState = new(expectedState.Optimizer, expectedState.Step, expectedState.Buffers.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
        }
        var manifest = ArtifactManifest.Load(Path.Combine(Artifacts, ArtifactManifest.FileName));
        var loaded = GmtCheckpointState.Load(ckpt, manifest);
        Assert.That(loaded.Parameters, Is.EqualTo(expectedParams));
        Assert.That(loaded.Optimizer!.Step, Is.EqualTo(expectedState.Step));
        foreach (var (name, buffer) in expectedState.Buffers) Assert.That(loaded.Optimizer.Buffers[name], Is.EqualTo(buffer), name);
        Assert.That(loaded.Trainer!.Value.GetProperty("step").GetInt64(), Is.EqualTo(1));
        Assert.That(Directory.Exists(ckpt + ".tmp"), Is.False);
    }

    [Test]
    public void BatchWithATokenOutsideTheVocabularyIsAClearError()
    {
        var batch = TinyArtifacts.Batch(1);
        var ids = batch.InputIds.ToArray();
        ids[3] = 100_000;
        var bad = batch with { InputIds = ids };
        var e = Assert.Throws<Errors.OrtGmtException>(() => bad.Validate(259))!;
        Assert.That(e.Message, Does.Contain("input_ids[0, 3]").And.Contain("100000"));
    }
}
