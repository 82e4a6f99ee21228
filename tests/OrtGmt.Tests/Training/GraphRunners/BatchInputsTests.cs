using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;

namespace OrtGmt.Tests.Training.GraphRunners;

/// <summary>The runners feed the graph inputs the manifest lists, and only those.</summary>
public class BatchInputsTests : TinyArtifactsFixture
{
    // A copy of the artifact folder with its manifest changed by `edit`.
    private string WithManifest(string name, Func<ArtifactManifest, ArtifactManifest> edit)
    {
        string copy = Path.Combine(Dir, name);
        foreach (var file in Directory.GetFiles(Artifacts, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(Artifacts, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string manifest = Path.Combine(copy, "manifest.json");
        edit(ArtifactManifest.Load(manifest)).Save(manifest);
        return copy;
    }

    private static float Loss(string artifacts, long[]? attentionMask)
    {
        using var session = new TrainingSession(CheckpointState.FromArtifacts(artifacts), artifacts, new TrainingSessionOptions { Threads = 1 });
        return session.TrainStep(TinyArtifacts.Batch(4) with { AttentionMask = attentionMask });
    }

    [Test]
    public void TheAttentionMaskIsFedOnlyWhenTheManifestListsItAsAnOptionalInput()
    {
        var batch = TinyArtifacts.Batch(4);
        // A hole in the middle of each row changes what later positions attend to.
        var holes = Enumerable.Repeat(1L, batch.InputIds.Length).ToArray();
        holes[3] = holes[batch.SequenceLength + 3] = 0;
        string without = WithManifest("no-optional", m => m with { OptionalInputs = [] });

        Assert.That(Loss(Artifacts, holes), Is.Not.EqualTo(Loss(Artifacts, null)), "listed: the mask reaches the graph");
        Assert.That(Loss(without, holes), Is.EqualTo(Loss(without, null)), "not listed: the graph keeps its default");
    }

    [Test]
    public void ADataInputABatchDoesNotCarryIsAnErrorNamingIt()
    {
        string odd = WithManifest("odd-input", m => m with { DataInputs = [.. m.DataInputs, "pixel_values"] });
        var e = Assert.Throws<InvalidFileException>(() => new TrainingSession(CheckpointState.FromArtifacts(odd), odd))!;
        Assert.That(e.Message, Does.Contain("pixel_values").And.Contain("training_model.onnx"));
    }

    [Test]
    public void AManifestWithoutLabelsAmongItsDataInputsIsAnError()
    {
        string noLabels = WithManifest("no-labels", m => m with { DataInputs = [ArtifactContract.InputIds] });
        var e = Assert.Throws<InvalidFileException>(() => new TrainingSession(CheckpointState.FromArtifacts(noLabels), noLabels))!;
        Assert.That(e.Message, Does.Contain("lack 'labels'"));
    }
}
