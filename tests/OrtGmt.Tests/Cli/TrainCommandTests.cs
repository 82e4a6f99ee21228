using OrtGmt.Tests.Artifacts;
using OrtGmt.Tests.Training;

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
        string run = Path.Combine(_dir, "run");
        string config = Path.Combine(_dir, "run.json");
        File.WriteAllText(config, $$"""
            {
              "model": "{{model.Replace("\\", "\\\\")}}",
              "output_dir": "{{run.Replace("\\", "\\\\")}}",
              "train_data": "synth:code", "eval_data": "synth:code",
              "synth_train_samples": 32, "synth_eval_samples": 8,
              "max_seq_length": 128, "micro_batch_size": 4, "max_steps": 4,
              "eval_steps": 2, "save_steps": 2, "threads": 1
            }
            """);
        Assert.That(GradParityTests.Run("train", "--config", config), Is.EqualTo(0));
        foreach (var file in new[] { "metrics.jsonl", "run_config.json", "result.json", "final/forward.onnx", "final/model.safetensors", "checkpoint-000004/trainer_state.json" })
            Assert.That(File.Exists(Path.Combine(run, file)), Is.True, file);
        foreach (var png in new[] { "loss.png", "update_density.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(run, png));
            Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
        }
        var metrics = OrtGmt.Recipes.MetricsLog.Read(Path.Combine(run, "metrics.jsonl"));
        Assert.That(metrics.Select(m => m.Step), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(metrics[1].EvalLoss, Is.Not.Null);
        Assert.That(metrics[0].KeptByCategory.Keys, Is.SupersetOf(new[] { "attn", "mlp", "embed", "norm" }));
        Assert.That(metrics[0].KeptByLayer, Has.Length.EqualTo(TinyArtifacts.Config.Layers));
        var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json"))).RootElement;
        Assert.That(result.GetProperty("accuracy_after").GetDouble(), Is.InRange(0.0, 1.0), "answer accuracy measured on the synthetic eval set");
    }

    [Test]
    public void ABadConfigExitsWithCodeOne()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{"method": "magic"}""");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.That(GradParityTests.Run("train", "--config", config), Is.EqualTo(1));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(error.ToString(), Does.Contain("method").And.Contain("magic").And.Contain("bad.json"));
        Assert.That(error.ToString(), Does.Not.Contain("   at "), "no stack trace for a user error");
    }
}
