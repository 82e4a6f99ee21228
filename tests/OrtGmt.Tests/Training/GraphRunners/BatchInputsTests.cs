using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Errors;
using OrtGmt.Onnx;
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
        string manifest = Path.Combine(copy, ArtifactManifest.FileName);
        edit(ArtifactManifest.Load(manifest)).Save(manifest);
        return copy;
    }

    private static float Loss(string artifacts, long[]? attentionMask)
    {
        using var session = new GmtTrainingSession(GmtCheckpointState.FromArtifacts(artifacts), artifacts, new GmtTrainingSessionOptions { Threads = 1 });
        return session.TrainStep(TinyArtifacts.Batch(4) with { AttentionMask = attentionMask });
    }

    // A hole in the middle of each row changes what later positions attend to.
    private static long[] WithHoles(Batch batch)
    {
        var holes = Enumerable.Repeat(1L, batch.InputIds.Length).ToArray();
        holes[3] = holes[batch.SequenceLength + 3] = 0;
        return holes;
    }

    // The artifacts as an exporter that gives attention_mask a default value would make them: the
    // graphs hold an all-ones initializer of the input's name, and the manifest lists it as optional.
    private string WithDefaultAttentionMask(string name, bool listed) => WithManifest(name, m =>
    {
        foreach (var file in new[] { m.Files.TrainingModel, m.Files.EvalModel })
        {
            string path = Path.Combine(Dir, name, file);
            var model = OnnxFile.Load(path);
            var input = model.Graph.Input.Single(i => i.Name == ArtifactContract.AttentionMask);
            // Own dim names: a [1, 1] default must not be taken for the [batch, seq] of input_ids.
            input.Type.TensorType.Shape.Dim[0].DimParam = "mask_batch";
            input.Type.TensorType.Shape.Dim[1].DimParam = "mask_seq";
            model.Graph.Initializer.Add(Tensors.FromInt64s(ArtifactContract.AttentionMask, [1, 1], [1]));
            OnnxFile.Save(model, path);
        }
        return m with
        {
            DataInputs = [.. m.DataInputs.Where(i => i != ArtifactContract.AttentionMask)],
            OptionalInputs = listed ? [ArtifactContract.AttentionMask] : [],
        };
    });

    [Test]
    public void TheBuiltInModelsRequiredAttentionMaskIsADataInputThatReachesTheGraph()
    {
        Assert.That(Manifest.DataInputs, Does.Contain(ArtifactContract.AttentionMask));
        Assert.That(Manifest.OptionalInputs, Is.Empty);
        var holes = WithHoles(TinyArtifacts.Batch(4));
        Assert.That(Loss(Artifacts, holes), Is.Not.EqualTo(Loss(Artifacts, null)));
    }

    [Test]
    public void AnAttentionMaskWithADefaultIsFedOnlyWhenTheManifestListsItAsAnOptionalInput()
    {
        var holes = WithHoles(TinyArtifacts.Batch(4));
        string listed = WithDefaultAttentionMask("optional", listed: true);
        string without = WithDefaultAttentionMask("no-optional", listed: false);

        Assert.That(Loss(listed, holes), Is.Not.EqualTo(Loss(listed, null)), "listed: the mask reaches the graph");
        Assert.That(Loss(without, holes), Is.EqualTo(Loss(without, null)), "not listed: the graph keeps its default");
    }

    [Test]
    public void ADataInputABatchDoesNotCarryIsAnErrorNamingIt()
    {
        string odd = WithManifest("odd-input", m => m with { DataInputs = [.. m.DataInputs, "pixel_values"] });
        var e = Assert.Throws<InvalidFileException>(() => new GmtTrainingSession(GmtCheckpointState.FromArtifacts(odd), odd))!;
        Assert.That(e.Message, Does.Contain("pixel_values").And.Contain("training_model.onnx"));
    }

    [Test]
    public void AManifestWithoutLabelsAmongItsDataInputsIsAnError()
    {
        string noLabels = WithManifest("no-labels", m => m with { DataInputs = [ArtifactContract.InputIds] });
        var e = Assert.Throws<InvalidFileException>(() => new GmtTrainingSession(GmtCheckpointState.FromArtifacts(noLabels), noLabels))!;
        Assert.That(e.Message, Does.Contain("lack 'labels'"));
    }
}
