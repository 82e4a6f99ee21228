using OrtGmt.Tests.Cli;

namespace OrtGmt.Tests.Data;

/// <summary>`ortgmt data synth` and `ortgmt data inspect` end to end, through the command line parser.</summary>
[NonParallelizable]
public class DataCommandTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private static CliRun Run(params string[] args) => CliRunner.Run(args);

    [Test]
    public void SynthThenInspectShowsFormatCountsAndMask()
    {
        string file = Path.Combine(_dir, "math.jsonl");
        var synth = Run("data", "synth", "--task", "math", "--n", "40", "--seed", "3", "--out", file);
        Assert.That(synth.Code, Is.EqualTo(0), synth.Err);
        Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(40));

        var inspect = Run("data", "inspect", file);
        Assert.That(inspect.Code, Is.EqualTo(0), inspect.Err);
        Assert.That(inspect.Out, Does.Contain("prompt (detected)"));
        Assert.That(inspect.Out, Does.Contain("sequences kept").And.Contain("40"));
        Assert.That(inspect.Out, Does.Contain("token lengths:"));
        Assert.That(inspect.Out, Does.Contain("<bos>").And.Contain("[[").And.Contain("#### ").And.Contain("<eos>]]"));
    }

    [Test]
    public void SynthIsReproducibleBySeed()
    {
        string a = Path.Combine(_dir, "a.jsonl"), b = Path.Combine(_dir, "b.jsonl");
        Run("data", "synth", "--task", "general", "--n", "30", "--seed", "8", "--out", a);
        Run("data", "synth", "--task", "general", "--n", "30", "--seed", "8", "--out", b);
        Assert.That(File.ReadAllText(a), Is.EqualTo(File.ReadAllText(b)));
    }

    [Test]
    public void InspectOfABadLineNamesFileAndLineOrCountsItWithSkipBad()
    {
        string file = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(file, ["""{"query":"q","response":"r"}""", """{"query":"q","response":3}"""]);
        var failed = Run("data", "inspect", file);
        Assert.That(failed.Code, Is.EqualTo(1));
        Assert.That(failed.Err, Does.Contain($"{file}:2: field 'response' must be a string, found a number"));

        var skipped = Run("data", "inspect", file, "--skip-bad");
        Assert.That(skipped.Code, Is.EqualTo(0), skipped.Err);
        Assert.That(skipped.Out, Does.Contain("skipped: " + file + ":2:"));
    }

    [Test]
    public void InspectWithAHuggingFaceTokenizerUsesItsChatTemplate()
    {
        string file = Path.Combine(_dir, "chat.jsonl");
        File.WriteAllLines(file, ["""{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}"""]);
        var r = Run("data", "inspect", file, "--tokenizer", TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny"));
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("chat (detected)").And.Contain("jinja:tokenizer_config.json"));
        Assert.That(r.Out, Does.Contain("<|im_start|>assistant\n[[Hello<|im_end|>\n]]"));
    }

    [Test]
    public void InspectOfDpoPairsShowsTheChosenSide()
    {
        string file = Path.Combine(_dir, "dpo.jsonl");
        File.WriteAllLines(file, ["""{"prompt":"P","chosen":"good","rejected":"bad"}"""]);
        var r = Run("data", "inspect", file);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("dpo (detected)").And.Contain("<bos>P\n[[good<eos>]]"));
    }

    [Test]
    public void InspectWithATruncationPolicyCountsTruncatedSamples()
    {
        string file = Path.Combine(_dir, "long.jsonl");
        File.WriteAllLines(file, ["""{"query":"a long question here","response":"and its answer"}"""]);
        var failed = Run("data", "inspect", file, "--max-seq", "16", "--truncation", "error");
        Assert.That(failed.Code, Is.EqualTo(1));
        Assert.That(failed.Err, Does.Contain($"{file}:1: sample has 37 tokens, more than the maximum sequence length 16"));
        var cut = Run("data", "inspect", file, "--max-seq", "16", "--truncation", "truncate-left");
        Assert.That(cut.Code, Is.EqualTo(0), cut.Err);
        Assert.That(cut.Out, Does.Contain("truncated").And.Contain("16 / 16.0 / 16"));
    }

    [Test]
    public void InspectDefaultsToTrainsTruncationAndShowsConfigSpellings()
    {
        string file = Path.Combine(_dir, "long.jsonl");
        File.WriteAllLines(file, ["""{"query":"a long question here","response":"and its answer"}""", """{"query":"q","response":"r"}"""]);
        var r = Run("data", "inspect", file, "--max-seq", "16");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Match(@"dropped \(too long\)\s*│\s*1"));
        Assert.That(r.Out, Does.Contain("16 / drop"));
        var right = Run("data", "inspect", file, "--max-seq", "16", "--truncation", "truncate-right");
        Assert.That(right.Out, Does.Contain("16 / truncate-right").And.Not.Contain("TruncateRight"));
        Assert.That(right.Out, Does.Contain("query (detected)"));
    }

    [Test]
    public void SynthUsesTrainsDefaultSeed()
    {
        string a = Path.Combine(_dir, "a.jsonl"), b = Path.Combine(_dir, "b.jsonl");
        Assert.That(Run("data", "synth", "--task", "math", "--n", "5", "--out", a).Code, Is.Zero);
        Assert.That(Run("data", "synth", "--task", "math", "--n", "5", "--seed", OrtGmt.Recipes.TrainConfig.DefaultSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", b).Code, Is.Zero);
        Assert.That(OrtGmt.Recipes.TrainConfig.DefaultSeed, Is.EqualTo(new OrtGmt.Recipes.TrainConfig().Seed));
        Assert.That(File.ReadAllText(a), Is.EqualTo(File.ReadAllText(b)));
    }

    [Test]
    public void SynthIntoAFolderIsOneErrorLine()
    {
        var r = Run("data", "synth", "--task", "math", "--n", "3", "--out", _dir);
        Assert.That(r.Code, Is.EqualTo(1));
        Assert.That(r.Err.TrimEnd(), Is.EqualTo($"error: flag '--out': '{_dir}' is a folder; give a file name"));
    }

    [Test]
    public void UnknownTaskIsAUserError()
    {
        var r = Run("data", "synth", "--task", "poetry", "--n", "1", "--out", Path.Combine(_dir, "x.jsonl"));
        Assert.That(r.Code, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("unknown synthetic task 'poetry'"));
    }
}
