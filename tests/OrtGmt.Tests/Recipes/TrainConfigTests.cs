using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Recipes;

namespace OrtGmt.Tests.Recipes;

public class TrainConfigTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private string Write(string json, string name = "run.json")
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void ErrorsNameTheFileTheLineAndTheFieldWithoutDotNetInternals()
    {
        string typo = Write("{\n  \"method\": \"gmt\",\n  \"mask_raito\": 0.3\n}");
        Assert.That(Assert.Throws<ConfigException>(() => TrainConfig.Load(typo))!.Message,
            Is.EqualTo($"{typo}:3: unknown field 'mask_raito', did you mean 'mask_ratio'?"));
        string text = Write("{\n  \"method\": \"gmt\",\n  \"learning_rate\": \"abc\"\n}");
        Assert.That(Assert.Throws<ConfigException>(() => TrainConfig.Load(text))!.Message,
            Is.EqualTo($"{text}:3: field 'learning_rate': expected a number, got \"abc\""));
        string range = Write("{\n\n  \"mask_ratio\": 1.5\n}");
        Assert.That(Assert.Throws<ConfigException>(() => TrainConfig.Load(range))!.Message,
            Is.EqualTo($"{range}:3: field 'mask_ratio': must be in [0, 1), got 1.5"));
        string beta = Write("{\n  \"adam_beta2\": 1\n}");
        Assert.That(Assert.Throws<ConfigException>(() => TrainConfig.Load(beta))!.Message,
            Is.EqualTo($"{beta}:2: field 'adam_beta2': must be in [0, 1), got 1"));
        string empty = Write("");
        Assert.That(Assert.Throws<InvalidFileException>(() => TrainConfig.Load(empty))!.Message, Does.StartWith($"{empty}:1: not valid JSON"));
        Assert.That(Assert.Throws<InvalidFileException>(() => TrainConfig.Load(_dir))!.Message, Does.Contain("is a folder"));
    }

    [Test]
    public void EveryChoiceFieldTakesItsConfigSpelling()
    {
        var c = TrainConfig.Parse("""
            {"method": "rmt", "mask_scope": "global", "mask_mode": "zero-grad", "optimizer": "sgd",
             "lr_scheduler": "linear", "truncation": "truncate-left", "format": "chat", "device": "cpu"}
            """);
        Assert.That(c.Method, Is.EqualTo(TrainingMethod.Rmt));
        Assert.That(c.MaskMode, Is.EqualTo(MaskedEntryMode.ZeroGrad));
        Assert.That(c.Truncation, Is.EqualTo(OrtGmt.Data.Tokenization.TruncationPolicy.TruncateLeft));
        Assert.That(c.ToJson(), Does.Contain("\"lr_scheduler\": \"linear\"").And.Contain("\"format\": \"chat\""));
    }

    [Test]
    public void PathsInAConfigFileAreRelativeToTheFile()
    {
        string config = Write("""
            {"model": "../models/m", "train_data": "data/train.jsonl", "eval_data": "synth:math", "output_dir": "runs/x",
             "tokenizer": "byte", "template": "chatml", "artifacts": "art", "resume_from_checkpoint": "latest"}
            """, Path.Combine("sub", "run.json"));
        var c = TrainConfig.Load(config);
        string sub = Path.Combine(_dir, "sub");
        Assert.That(c.Model, Is.EqualTo(Path.Combine(_dir, "models", "m")));
        Assert.That(c.TrainData, Is.EqualTo(Path.Combine(sub, "data", "train.jsonl")));
        Assert.That(c.OutputDir, Is.EqualTo(Path.Combine(sub, "runs", "x")));
        Assert.That(c.Artifacts, Is.EqualTo(Path.Combine(sub, "art")));
        Assert.That((c.EvalData, c.Tokenizer, c.Template, c.ResumeFromCheckpoint), Is.EqualTo(("synth:math", "byte", "chatml", "latest")), "names are not paths");
        var defaults = TrainConfig.Load(Write("""{"model": "tiny"}""", Path.Combine("sub", "defaults.json")));
        Assert.That((defaults.Model, defaults.OutputDir), Is.EqualTo(("tiny", "runs/default")), "built-in names and unset fields stay as they are");
    }

    [TestCase(-1)]
    [TestCase(4096)]
    [TestCase(int.MaxValue)]
    public void ThreadsBeyondTheProcessorsAreAConfigErrorNamingTheField(int threads)
    {
        string config = Write($"{{\n  \"method\": \"gmt\",\n  \"threads\": {threads}\n}}");
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(config))!;
        Assert.That(e.Field, Is.EqualTo("threads"));
        Assert.That(e.Message, Does.StartWith($"{config}:3: field 'threads': must be 0 (all {Environment.ProcessorCount} logical processors)"));
        Assert.That(TrainConfig.Parse($"{{\"threads\": {Environment.ProcessorCount}}}").Threads, Is.EqualTo(Environment.ProcessorCount));
    }
}
