using System.Text.Json.Nodes;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Tests.Training.Update;

/// <summary>A run stopped at a checkpoint and resumed from it takes exactly the steps an uninterrupted run takes.</summary>
public class PolicyStateResumeTests : TinyArtifactsFixture
{
    private const int Steps = 4, StopAt = 2;

    private GmtTrainingSession Open(GmtCheckpointState state, TrainingMethod method, UpdateStepKind update)
    {
        var session = new GmtTrainingSession(state, Artifacts, new GmtTrainingSessionOptions
        {
            Threads = 1,
            Method = method,
            MaskRatio = 0.5,
            Seed = 3,
            UpdateStep = update,
        });
        session.SetLearningRate(0.01);
        return session;
    }

    // Steps `from`..`to` (exclusive) on fixed batches; the kept counts of each.
    private static List<long[]> Train(GmtTrainingSession session, int from, int to)
    {
        var kept = new List<long[]>();
        for (int step = from; step < to; step++)
        {
            session.TrainStep(TinyArtifacts.Batch(30 + (ulong)step));
            kept.Add(session.OptimizerStep().Kept.PerParameter.ToArray());
        }
        return kept;
    }

    private string StopAndSave(TrainingMethod method, UpdateStepKind update, string name)
    {
        var state = GmtCheckpointState.FromArtifacts(Artifacts);
        using var session = Open(state, method, update);
        Train(session, 0, StopAt);
        string checkpoint = Path.Combine(Dir, name);
        state.Save(checkpoint, session.ExportOptimizerState(), session.ExportMaskPolicyState(), new TrainerState { Step = StopAt, Method = method });
        return checkpoint;
    }

    [TestCase(TrainingMethod.Rmt, UpdateStepKind.Host)]
    [TestCase(TrainingMethod.Rmt, UpdateStepKind.Graph)]
    [TestCase(TrainingMethod.Gmt, UpdateStepKind.Host)]
    [TestCase(TrainingMethod.Hft, UpdateStepKind.Graph)]
    public void ResumingFromACheckpointIsBitIdenticalToNotStopping(TrainingMethod method, UpdateStepKind update)
    {
        using var straight = Open(GmtCheckpointState.FromArtifacts(Artifacts), method, update);
        var keptStraight = Train(straight, 0, Steps);

        string checkpoint = StopAndSave(method, update, $"ckpt-{method}-{update}");
        var loaded = GmtCheckpointState.Load(checkpoint, Manifest);
        Assert.That(loaded.MaskPolicy!.Method, Is.EqualTo(method));
        using var resumed = Open(loaded, method, update);
        var keptResumed = Train(resumed, StopAt, Steps);

        Assert.That(resumed.StepCount, Is.EqualTo(straight.StepCount));
        Assert.That(keptResumed, Is.EqualTo(keptStraight.Skip(StopAt).ToList()));
        Assert.That(resumed.Parameters.ToArray(), Is.EqualTo(straight.Parameters.ToArray()));
    }

    [Test]
    public void WithoutTheMaskPolicyStateRmtDrawsOtherMasks()
    {
        using var straight = Open(GmtCheckpointState.FromArtifacts(Artifacts), TrainingMethod.Rmt, UpdateStepKind.Host);
        Train(straight, 0, Steps);
        string checkpoint = StopAndSave(TrainingMethod.Rmt, UpdateStepKind.Host, "ckpt-no-policy");
        File.Delete(Path.Combine(checkpoint, GmtCheckpointState.MaskPolicyFile));
        using var restarted = Open(GmtCheckpointState.Load(checkpoint, Manifest), TrainingMethod.Rmt, UpdateStepKind.Host);
        Train(restarted, StopAt, Steps);
        Assert.That(restarted.Parameters.ToArray(), Is.Not.EqualTo(straight.Parameters.ToArray()));
    }

    [Test]
    public void ACheckpointThatKeptTheGeneratorInTheTrainerStateResumesTheSame()
    {
        using var straight = Open(GmtCheckpointState.FromArtifacts(Artifacts), TrainingMethod.Rmt, UpdateStepKind.Host);
        Train(straight, 0, Steps);
        string checkpoint = StopAndSave(TrainingMethod.Rmt, UpdateStepKind.Host, "ckpt-legacy");
        // The earlier layout: no mask_policy.json, the generator under "mask_rng" in trainer_state.json.
        string policyPath = Path.Combine(checkpoint, GmtCheckpointState.MaskPolicyFile);
        var policy = JsonNode.Parse(File.ReadAllText(policyPath))!;
        File.Delete(policyPath);
        string trainerPath = Path.Combine(checkpoint, GmtCheckpointState.TrainerFile);
        var trainer = JsonNode.Parse(File.ReadAllText(trainerPath))!.AsObject();
        trainer["mask_rng"] = policy["rng"]!.DeepClone();
        File.WriteAllText(trainerPath, trainer.ToJsonString());

        using var resumed = Open(GmtCheckpointState.Load(checkpoint, Manifest), TrainingMethod.Rmt, UpdateStepKind.Host);
        Train(resumed, StopAt, Steps);
        Assert.That(resumed.Parameters.ToArray(), Is.EqualTo(straight.Parameters.ToArray()));
    }

    [Test]
    public void AnotherMethodsPolicyStateIsAClearError()
    {
        string checkpoint = StopAndSave(TrainingMethod.Rmt, UpdateStepKind.Host, "ckpt-rmt");
        var e = Assert.Throws<OrtGmtException>(() => Open(GmtCheckpointState.Load(checkpoint, Manifest), TrainingMethod.Gmt, UpdateStepKind.Host))!;
        Assert.That(e.Message, Does.Contain("'rmt'").And.Contain("'gmt'"));
    }

    [Test]
    public void AMaskPolicyFileThatIsNotJsonNamesTheFile()
    {
        string checkpoint = StopAndSave(TrainingMethod.Rmt, UpdateStepKind.Host, "ckpt-bad");
        string path = Path.Combine(checkpoint, GmtCheckpointState.MaskPolicyFile);
        File.WriteAllText(path, "{\"method\": \"rmt\", \"rng\": [1, 2");
        var e = Assert.Throws<InvalidFileException>(() => GmtCheckpointState.Load(checkpoint, Manifest))!;
        Assert.That(e.FilePath, Is.EqualTo(path));
    }
}
