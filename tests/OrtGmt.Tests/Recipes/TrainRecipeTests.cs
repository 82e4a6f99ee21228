using OrtGmt.Config;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Recipes;
using OrtGmt.Tests.Training;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Metrics;

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
        Method = EnumSpelling.Parse<TrainingMethod>(method, "method"),
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
        var (straightResult, straightPaths) = TrainRecipe.Run(straight);

        var interrupted = Small("resumed-" + method, method) with { SaveTotalLimit = 5 };
        TrainRecipe.Run(interrupted with { MaxSteps = 12, SaveSteps = 4 });
        // Simulate a stop after step 4: keep only that checkpoint and resume from it. The stopped run
        // had already logged steps 5 to 12, and a kill cut its last line short.
        foreach (var (step, dir) in CheckpointFolders.List(interrupted.OutputDir))
            if (step != 4) Directory.Delete(dir, recursive: true);
        File.AppendAllText(Path.Combine(interrupted.OutputDir, "metrics.jsonl"), "{\"step\": 13, \"lo");
        var (result, resumedPaths) = TrainRecipe.Run(interrupted with { ResumeFromCheckpoint = "latest" });
        Assert.That(result.Steps, Is.EqualTo(12));

        Assert.That(StepsInFile(resumedPaths.Metrics), Is.EqualTo(Enumerable.Range(0, 13).Select(i => (long)i)), "each step logged once, step 0 = eval before training");
        Assert.That(result.FirstLoss, Is.EqualTo(straightResult.FirstLoss), "the results start from the run's first step");
        Assert.That(result.EvalLossBefore, Is.EqualTo(straightResult.EvalLossBefore));
        Assert.That(result.MeanKept, Is.EqualTo(straightResult.MeanKept).Within(1e-12));

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

    private static List<long> StepsInFile(string metrics) =>
        [.. File.ReadAllLines(metrics).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64())];

    [Test]
    public void ResumingAFinishedRunReportsItWithoutTraining()
    {
        var config = Small("finished", "sft") with { MaxSteps = 4, EvalAccuracy = false };
        var (first, _) = TrainRecipe.Run(config);
        var info = new List<string>();
        var (again, paths) = TrainRecipe.Run(config with { ResumeFromCheckpoint = "latest" }, new TrainRecipe.Hooks { OnInfo = info.Add });
        Assert.That(again.Steps, Is.EqualTo(4));
        Assert.That(info, Has.Some.Contains("the checkpoint is at step 4 of 4: the run is complete"));
        Assert.That(again.FirstLoss, Is.EqualTo(first.FirstLoss));
        Assert.That(again.LastLoss, Is.EqualTo(first.LastLoss));
        Assert.That(StepsInFile(paths.Metrics), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(paths.RunDir, "result.json"))).RootElement;
        Assert.That(json.GetProperty("steps").GetInt64(), Is.EqualTo(4));
        Assert.That(json.GetProperty("first_loss").GetDouble(), Is.EqualTo(first.FirstLoss));
        Assert.That(json.GetProperty("accuracy_after").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [Test]
    public void InputsAreCheckedBeforeAnythingIsWritten()
    {
        (TrainConfig Config, string Field)[] cases =
        [
            (Small("no-tokenizer", "gmt") with { Tokenizer = Path.Combine(_dir, "missing", "tokenizer.json") }, "tokenizer"),
            (Small("no-template", "gmt") with { Template = Path.Combine(_dir, "missing.jinja") }, "template"),
            (Small("too-long", "gmt") with { MaxSeqLength = 4096 }, "max_seq_length"),
            (Small("built-in-too-long", "gmt") with { Model = "tiny", MaxSeqLength = 100_000 }, "max_seq_length"),
            (Small("no-data", "gmt") with { TrainData = Path.Combine(_dir, "missing.jsonl") }, "train_data"),
            (Small("no-task", "gmt") with { EvalData = "synth:poetry" }, "eval_data"),
            (Small("tokenizer-too-big", "gmt") with { Model = "tiny", Tokenizer = TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny") }, "tokenizer"),
        ];
        foreach (var (config, field) in cases)
        {
            var e = Assert.Throws<ConfigException>(() => TrainRecipe.Run(config), field)!;
            Assert.That(e.Field, Is.EqualTo(field), e.Message);
            Assert.That(Directory.Exists(config.OutputDir), Is.False, $"{field}: nothing written before the check ({e.Message})");
        }
    }

    [Test]
    public void SkipBadLinesCountsMalformedLinesInsteadOfStopping()
    {
        string data = Path.Combine(_dir, "with-bad-line.jsonl");
        var samples = OrtGmt.Data.Synthetic.SyntheticTasks.Generate(OrtGmt.Data.Synthetic.SyntheticTasks.Get("code"), 24, 5, OrtGmt.Data.Synthetic.SyntheticSplit.Train)
            .Select(x => x.ToJsonLine()).ToList();
        samples.Insert(2, """{"prompt": "p", "completion": 7}""");
        File.WriteAllLines(data, samples);
        var config = Small("bad-line", "sft") with { TrainData = data, EvalData = null, MaxSteps = 1 };
        var stop = Assert.Throws<InvalidFileException>(() => TrainRecipe.Run(config))!;
        Assert.That(stop.Message, Does.StartWith($"{data}:3: "));
        var info = new List<string>();
        var (result, _) = TrainRecipe.Run(config with { SkipBadLines = true, OutputDir = config.OutputDir + "-skipped" }, new TrainRecipe.Hooks { OnInfo = info.Add });
        Assert.That(result.Steps, Is.EqualTo(1));
        Assert.That(info, Has.Some.Contains("kept 24").And.Some.Contains("skipped bad 1"));
        Assert.That(info, Has.Some.StartsWith($"skipped: {data}:3: "));
    }

    [TestCase("hft", "freezes half of each layer's weight matrices")]
    [TestCase("sft", "updates every entry")]
    public void AMaskRatioTheMethodDoesNotUseIsNoted(string method, string why)
    {
        var info = new List<string>();
        TrainRecipe.Run(Small("unused-ratio-" + method, method) with { MaskRatio = 0.5, MaxSteps = 1, EvalData = null }, new TrainRecipe.Hooks { OnInfo = info.Add });
        Assert.That(info, Has.Some.EqualTo($"note: mask_ratio 0.5 is not used by {method}, which {why}" + (method == "hft" ? " for the whole run" : "")));
    }

    [Test]
    public void RunConfigJsonUsesConfigSpellingsAndAbsolutePathsAndReloadsToTheSameConfig()
    {
        string here = Environment.CurrentDirectory;
        var config = Small("run-config", "gmt") with { MaxSteps = 1, EvalData = null, MaskMode = MaskedEntryMode.ZeroGrad };
        var (_, paths) = TrainRecipe.Run(config);
        string json = File.ReadAllText(Path.Combine(paths.RunDir, "run_config.json"));
        Assert.That(json, Does.Contain("\"method\": \"gmt\"").And.Contain("\"mask_mode\": \"zero-grad\"").And.Contain("\"truncation\": \"truncate-right\"").And.Contain("\"optimizer\": \"adamw\""));
        Assert.That(TrainConfig.Load(Path.Combine(paths.RunDir, "run_config.json")), Is.EqualTo(config.WithPathsFrom(here)));
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
