using OrtGmt.Config;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Recipes;
using OrtGmt.Tests.Training;
using OrtGmt.Training;

namespace OrtGmt.Tests.Recipes;

/// <summary>`ortgmt train` end to end on a small model and the synthetic code task (its samples are the shortest).</summary>
public class TrainRecipeTests
{
    private string _dir = "";
    private string _model = "";

    [OneTimeSetUp]
    public void CreateModel()
    {
        _dir = TestPaths.NewTempDir();
        _model = Path.Combine(_dir, "model");
        OrtGmt.Models.ModelFolder.Write(_model, TinyArtifacts.Config, OrtGmt.Models.LlamaWeights.Initialize(TinyArtifacts.Config));
    }

    [OneTimeTearDown]
    public void Delete() => TestPaths.Delete(_dir);

    private TrainConfig Small(string name, string method) => new()
    {
        Model = _model,
        OutputDir = Path.Combine(_dir, name),
        TrainData = "synth:code",
        EvalData = "synth:code",
        SynthTrainSamples = 96,
        SynthEvalSamples = 16,
        MaxSeqLength = 128,
        Truncation = TruncationPolicy.TruncateRight,
        Method = Spellings.Parse<TrainingMethod>(method, "method"),
        MaskRatio = 0.3,
        MicroBatchSize = 4,
        GradientAccumulationSteps = 2,
        MaxSteps = 12,
        EvalSteps = 6,
        SaveSteps = 4,
        SaveTotalLimit = 2,
        LearningRate = 3e-3,
        Threads = 1,
        Plots = false,
    };

    [TestCase("sft")]
    [TestCase("gmt")]
    [TestCase("rmt")]
    [TestCase("hft")]
    public void EveryMethodLowersTheHeldOutLoss(string method)
    {
        var (result, paths) = TrainRecipe.Run(Small("method-" + method, method));
        Assert.That(result.Steps, Is.EqualTo(12));
        Assert.That(result.EvalLossAfter, Is.LessThan(result.EvalLossBefore!.Value));
        Assert.That(File.Exists(Path.Combine(paths.FinalModelDir, "forward.onnx")), Is.True);
        var metrics = MetricsLog.Read(paths.Metrics);
        Assert.That(metrics, Has.Count.EqualTo(12));
        double expectedKept = method is "gmt" or "rmt" ? 0.7 : method == "sft" ? 1.0 : -1;
        if (expectedKept > 0) Assert.That(metrics.Select(m => m.Kept), Has.All.EqualTo(expectedKept).Within(0.01));
        else Assert.That(metrics.Select(m => m.Kept), Has.All.LessThan(1.0));
        Assert.That(CheckpointFolders.List(paths.RunDir).Select(c => c.Step), Is.EqualTo(new long[] { 8, 12 }), "keep-last-2");
    }

    [TestCase("gmt")]
    [TestCase("rmt")]
    public void StopAndResumeGivesBitIdenticalParameters(string method)
    {
        var straight = Small("straight-" + method, method);
        var (_, straightPaths) = TrainRecipe.Run(straight);

        var interrupted = Small("resumed-" + method, method) with { SaveTotalLimit = 5 };
        TrainRecipe.Run(interrupted with { MaxSteps = 12, SaveSteps = 4 });
        // Simulate a stop after step 4: keep only that checkpoint and resume from it.
        foreach (var (step, dir) in CheckpointFolders.List(interrupted.OutputDir))
            if (step != 4) Directory.Delete(dir, recursive: true);
        var (result, resumedPaths) = TrainRecipe.Run(interrupted with { ResumeFromCheckpoint = "latest" });
        Assert.That(result.Steps, Is.EqualTo(12));

        var a = File.ReadAllBytes(Path.Combine(straightPaths.FinalModelDir, "model.safetensors"));
        var b = File.ReadAllBytes(Path.Combine(resumedPaths.FinalModelDir, "model.safetensors"));
        Assert.That(b, Is.EqualTo(a), "parameters after 12 steps, straight vs stopped at 4 and resumed");
    }

    [Test]
    public void AFreshRunNeverDeletesAnEarlierRunsCheckpointsUnlessAsked()
    {
        var config = Small("occupied", "sft") with { MaxSteps = 4 };
        TrainRecipe.Run(config);
        var e = Assert.Throws<ConfigException>(() => TrainRecipe.Run(config))!;
        Assert.That(e.Field, Is.EqualTo("output_dir"));
        Assert.That(CheckpointFolders.List(config.OutputDir), Is.Not.Empty, "the earlier checkpoints are still there");
        var (result, _) = TrainRecipe.Run(config with { OverwriteOutputDir = true });
        Assert.That(result.Steps, Is.EqualTo(4));
    }

    [Test]
    public void BadConfigFieldIsNamed()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Parse("""{"method": "gmt", "mask_ratio": 1.5}""", "run.json"))!;
        Assert.That(e.Field, Is.EqualTo("mask_ratio"));
        Assert.That(e.Message, Does.Contain("run.json"));
        var unknown = Assert.Throws<ConfigException>(() => TrainConfig.Parse("""{"mask_ration": 0.3}""", "run.json"))!;
        Assert.That(unknown.Message, Does.Contain("mask_ration"));
        var type = Assert.Throws<ConfigException>(() => TrainConfig.Parse("""{"max_steps": "ten"}""", "run.json"))!;
        Assert.That(type.Field, Is.EqualTo("max_steps"));
    }
}
