using OrtGmt.Tests.Training;
using OrtGmt.Training.Metrics;

namespace OrtGmt.Tests.Cli;

/// <summary>`ortgmt train` through the command line: exit codes, the run folder, the plots.</summary>
public class TrainCommandTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    [Test]
    public void ARunWritesMetricsPlotsCheckpointsAndTheFinalModel()
    {
        string model = Path.Combine(_dir, "model");
        OrtGmt.Models.ModelFolder.Write(model, TinyArtifacts.Config, OrtGmt.Models.LlamaWeights.Initialize(TinyArtifacts.Config));
        string runDir = Path.Combine(_dir, "run");
        string config = Path.Combine(_dir, "run.json");
        File.WriteAllText(config, $$"""
            {
              "model": "{{model.Replace("\\", "\\\\")}}",
              "output_dir": "{{runDir.Replace("\\", "\\\\")}}",
              "train_data": "synth:code", "eval_data": "synth:code",
              "synth_train_samples": 32, "synth_eval_samples": 8,
              "max_seq_length": 128, "micro_batch_size": 4, "max_steps": 4,
              "eval_steps": 2, "save_steps": 2, "threads": 1
            }
            """);
        var run = CliRunner.Run("train", "--config", config);
        Assert.That(run.Code, Is.EqualTo(0), run.Err);
        var table = run.Lines.Where(l => l.Length > 0 && "┌│├└".Contains(l[0])).ToList();
        Assert.That(table, Has.Count.GreaterThan(8), run.Out);
        Assert.That(table.Max(l => l.Length), Is.LessThanOrEqualTo(80), "the results table fits an 80-column terminal:\n" + string.Join('\n', table));
        Assert.That(run.Out, Does.Contain("train loss first → last").And.Contain("eval loss before → after"));
        foreach (var file in new[] { "metrics.jsonl", "run_config.json", "result.json", "final/forward.onnx", "final/model.safetensors", "checkpoint-000004/trainer_state.json" })
            Assert.That(File.Exists(Path.Combine(runDir, file)), Is.True, file);
        foreach (var png in new[] { "loss.png", "update_density.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(runDir, png));
            Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
        }
        var exported = OrtGmt.Onnx.OnnxFile.Load(Path.Combine(runDir, "final", "forward.onnx"));
        var inputs = exported.Graph.Input.Select(i => i.Name).ToList();
        Assert.That(inputs, Is.EqualTo(new[] { "input_ids", "attention_mask" }));
        Assert.That(exported.Graph.Initializer.Select(t => t.Name).Intersect(inputs), Is.Empty,
            "ONNX Runtime warns on every load of a model whose initializer is also a graph input");
        var metrics = MetricsLog.Read(Path.Combine(runDir, "metrics.jsonl"));
        Assert.That(metrics.Select(m => m.Step), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(metrics[1].EvalLoss, Is.Not.Null);
        Assert.That(metrics[0].KeptByCategory.Keys, Is.SupersetOf(new[] { "attn", "mlp", "embed", "norm" }));
        Assert.That(metrics[0].KeptByLayer, Has.Length.EqualTo(TinyArtifacts.Config.Layers));
        var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "result.json"))).RootElement;
        Assert.That(result.GetProperty("accuracy_after").GetDouble(), Is.InRange(0.0, 1.0), "answer accuracy measured on the synthetic eval set");
    }

    [Test]
    public void ABadConfigExitsWithCodeOne()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{"method": "magic"}""");
        var run = CliRunner.Run("train", "--config", config);
        Assert.That(run.Code, Is.EqualTo(1));
        Assert.That(run.Err.TrimEnd(), Is.EqualTo($"error: {config}:1: field 'method': 'magic' is not one of sft, gmt, rmt, hft"));
    }

    [Test]
    public void SkipBadSkipsMalformedLinesFromTheCommandLine()
    {
        string model = Path.Combine(_dir, "model");
        OrtGmt.Models.ModelFolder.Write(model, TinyArtifacts.Config, OrtGmt.Models.LlamaWeights.Initialize(TinyArtifacts.Config));
        string data = Path.Combine(_dir, "data.jsonl");
        File.WriteAllLines(data, ["""{"prompt": "1+1=", "completion": "2"}""", "not json", """{"prompt": "2+2=", "completion": "4"}"""]);
        // Relative to the config file's folder.
        File.WriteAllText(Path.Combine(_dir, "run.json"), """
            {"model": "model", "train_data": "data.jsonl", "eval_data": null, "output_dir": "run",
             "max_seq_length": 64, "micro_batch_size": 2, "max_steps": 1, "threads": 1, "plots": false}
            """);
        var stop = CliRunner.Run("train", "--config", Path.Combine(_dir, "run.json"));
        Assert.That(stop.Code, Is.EqualTo(1));
        Assert.That(stop.Err, Does.StartWith($"error: {data}:2: "));
        var skip = CliRunner.Run("train", "--config", Path.Combine(_dir, "run.json"), "--skip-bad");
        Assert.That(skip.Code, Is.EqualTo(0), skip.Err);
        Assert.That(skip.Out, Does.Contain("kept 2").And.Contain("skipped bad 1").And.Contain($"skipped: {data}:2:"));
        Assert.That(File.Exists(Path.Combine(_dir, "run", "final", "forward.onnx")), Is.True);
    }
}
