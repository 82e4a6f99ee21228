using System.Text.Json;
using OrtGmt.Artifacts;
using OrtGmt.Cli.Commands;
using OrtGmt.SafeTensors;

namespace OrtGmt.Tests.Artifacts;

/// <summary>
/// `ortgmt artifacts` + `ortgmt grad` on models made by PyTorch's own exporter, against PyTorch
/// autograd (fixtures and script: tools/reference/make_grad_fixtures.py).
/// </summary>
public class GradParityTests
{
    private const double GradTolerance = 1e-4;
    private const double LossTolerance = 1e-5;
    private const double ZeroGradientBound = 1e-6;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    internal static int Run(params string[] args)
    {
        var root = new System.CommandLine.RootCommand();
        foreach (var c in CommandCatalog.All()) root.Add(c);
        return OrtGmt.Cli.Cli.Invoke(root, args);
    }

    private IReadOnlyDictionary<string, SafeTensor> ArtifactsAndGrad(string fixture, params string[] extra)
    {
        string src = TestPaths.Artifact("fixtures", "grad", fixture);
        string artifacts = Path.Combine(_dir, "artifacts");
        string grads = Path.Combine(_dir, "grads.safetensors");
        Assert.That(Run(["artifacts", "--model", Path.Combine(src, "model.onnx"), "--out", artifacts, .. extra]), Is.EqualTo(0));
        Assert.That(Run("grad", "--artifacts", artifacts, "--batch", Path.Combine(src, "batch.safetensors"), "--out", grads, "--threads", "1"), Is.EqualTo(0));
        return SafeTensorsFile.ReadDictionary(grads);
    }

    internal static double RelativeL2(float[] actual, float[] expected)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += Math.Pow(actual[i] - (double)expected[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        return Math.Sqrt(diff / Math.Max(norm, 1e-300));
    }

    private static double L2(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v));

    [TestCase("gpt2")]
    [TestCase("gpt2_folded")]
    [TestCase("llama_hf")]
    [TestCase("opt_like")]
    public void GradientsMatchPyTorchAutograd(string fixture)
    {
        string src = TestPaths.Artifact("fixtures", "grad", fixture);
        var expected = SafeTensorsFile.ReadDictionary(Path.Combine(src, "expected.safetensors"));
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(src, "info.json")));
        var zero = info.RootElement.GetProperty("zero_gradient_initializers").GetProperty("names").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var actual = ArtifactsAndGrad(fixture);

        float loss = actual["loss"].ToFloats()[0], expectedLoss = expected["loss"].ToFloats()[0];
        Assert.That(Math.Abs(loss - expectedLoss) / Math.Abs(expectedLoss), Is.LessThanOrEqualTo(LossTolerance), "loss");
        var names = expected.Keys.Where(k => k != "loss").ToList();
        Assert.That(actual.Keys.Where(k => k != "loss"), Is.EquivalentTo(names), "the trainable parameters are exactly PyTorch's");
        foreach (var name in names)
        {
            var a = actual[name].ToFloats();
            Assert.That(actual[name].Shape, Is.EqualTo(expected[name].Shape), name);
            if (zero.Contains(name))
            {
                Assert.That(L2(a), Is.LessThanOrEqualTo(ZeroGradientBound), $"{name} (zero in exact arithmetic)");
                continue;
            }
            double rel = RelativeL2(a, expected[name].ToFloats());
            Assert.That(rel, Is.LessThanOrEqualTo(GradTolerance), name);
        }
    }

    [Test]
    public void ConstantFoldedCopyOfATiedWeightIsReportedInTheManifest()
    {
        string src = TestPaths.Artifact("fixtures", "grad", "gpt2_folded");
        string artifacts = Path.Combine(_dir, "a");
        var manifest = ArtifactGenerator.Generate(Path.Combine(src, "model.onnx"), artifacts);
        Assert.That(manifest.Warnings, Has.Some.Contains("onnx::MatMul_598").And.Contains("transformer.wte.weight").And.Contains("untied"));
        Assert.That(ArtifactManifest.Load(Path.Combine(artifacts, ArtifactManifest.FileName)).Warnings, Is.EqualTo(manifest.Warnings));
    }

    [Test]
    public void RetieTrainsTheFoldedCopyAsTheOriginalTiedWeight()
    {
        var retied = ArtifactsAndGrad("gpt2_folded", "--retie");
        var tied = SafeTensorsFile.ReadDictionary(TestPaths.Artifact("fixtures", "grad", "gpt2", "expected.safetensors"));
        Assert.That(retied.ContainsKey("onnx::MatMul_598"), Is.False);
        Assert.That(RelativeL2(retied["transformer.wte.weight"].ToFloats(), tied["transformer.wte.weight"].ToFloats()), Is.LessThanOrEqualTo(GradTolerance));
    }

    [Test]
    public void WeightSharedThroughATransposeIsNotedAndGetsTheSumOfBothUses()
    {
        string src = TestPaths.Artifact("fixtures", "grad", "gpt2");
        var manifest = ArtifactGenerator.Generate(Path.Combine(src, "model.onnx"), Path.Combine(_dir, "a"));
        Assert.That(manifest.Warnings, Has.Some.Contains("'transformer.wte.weight' is shared by").And.Contains("through Transpose"));
    }
}
