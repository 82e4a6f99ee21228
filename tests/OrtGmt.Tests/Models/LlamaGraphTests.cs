using Microsoft.ML.OnnxRuntime;
using OrtGmt.Errors;
using OrtGmt.Models;
using OrtGmt.Onnx;

namespace OrtGmt.Tests.Models;

public class LlamaGraphTests
{
    private static float[] RunLogits(byte[] model, long[] ids, int batch, int seq, long[]? mask = null)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [batch, seq]);
        var names = new List<string> { "input_ids" };
        var values = new List<OrtValue> { input };
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask ?? Enumerable.Repeat(1L, batch * seq).ToArray(), [batch, seq]);
        names.Add("attention_mask");
        values.Add(maskValue);
        using var outputs = session.Run(new RunOptions(), names, values, ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static byte[] DefaultModelBytes(out LlamaConfig config)
    {
        config = LlamaConfig.LoadNamedOrFile("tiny");
        using var ms = new MemoryStream();
        return Google.Protobuf.MessageExtensions.ToByteArray(LlamaGraph.Build(config, LlamaWeights.Initialize(config)));
    }

    [Test]
    public void DefaultModelRunsAtTwoShapesWithIdenticalLogitsOnTheSharedPrefix()
    {
        var model = DefaultModelBytes(out var c);
        var rng = new Random(5);
        const int batch = 3, seq = 17, shortSeq = 5;
        var ids = new long[batch * seq];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.Next(c.Vocab);
        var big = RunLogits(model, ids, batch, seq);
        Assert.That(big, Has.Length.EqualTo(batch * seq * c.Vocab));
        var small = RunLogits(model, ids[..shortSeq], 1, shortSeq);
        for (int t = 0; t < shortSeq; t++)
        {
            for (int v = 0; v < c.Vocab; v++)
                Assert.That(small[t * c.Vocab + v], Is.EqualTo(big[t * c.Vocab + v]).Within(1e-5f), $"t={t} v={v}");
        }
        Assert.That(big.All(float.IsFinite), Is.True);
    }

    [Test]
    public void RightPaddingDoesNotChangeTheLogitsOfRealTokens()
    {
        var model = DefaultModelBytes(out var c);
        long[] real = [256, 72, 105, 33, 10];
        var padded = real.Concat(Enumerable.Repeat(258L, 4)).ToArray();
        var mask = real.Select(_ => 1L).Concat(Enumerable.Repeat(0L, 4)).ToArray();
        var a = RunLogits(model, real, 1, real.Length);
        var b = RunLogits(model, padded, 1, padded.Length, mask);
        for (int i = 0; i < a.Length; i++) Assert.That(b[i], Is.EqualTo(a[i]).Within(1e-5f));
    }

    [Test]
    public void SameSeedGivesSameWeightsAndAnotherSeedDiffers()
    {
        var c = LlamaConfig.LoadNamedOrFile("tiny");
        var a = LlamaWeights.Initialize(c);
        var b = LlamaWeights.Initialize(c);
        var other = LlamaWeights.Initialize(c with { Seed = c.Seed + 1 });
        Assert.That(a[LlamaWeights.Embed], Is.EqualTo(b[LlamaWeights.Embed]));
        Assert.That(a[LlamaWeights.Embed], Is.Not.EqualTo(other[LlamaWeights.Embed]));
    }

    [Test]
    public void UntiedModelHasItsOwnHead()
    {
        var c = LlamaConfig.LoadNamedOrFile("tiny") with { Tie = false };
        var model = LlamaGraph.Build(c, LlamaWeights.Initialize(c));
        Assert.That(model.Graph.Initializer.Select(t => t.Name), Does.Contain(LlamaWeights.Head));
    }

    [TestCase("""{"heads": 5}""", "heads")]
    [TestCase("""{"kv_heads": 3}""", "kv_heads")]
    [TestCase("""{"d_model": -4}""", "d_model")]
    [TestCase("""{"layers": "two"}""", "layers")]
    [TestCase("""{"dmodel": 64}""", "dmodel")]
    public void BadConfigNamesTheField(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => LlamaConfig.Parse(json, "cfg.json"))!;
        Assert.That(e.Message, Does.Contain(field).And.Contain("cfg.json"));
    }

    [Test]
    public void InitModelWritesAFolderThatReloadsToTheSameWeights()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            int rc = OrtGmt.Cli.Cli.Invoke(new System.CommandLine.RootCommand { OrtGmt.Cli.Commands.InitModelCommand.Create() },
                ["init-model", "--out", dir]);
            Assert.That(rc, Is.EqualTo(0));
            var (config, weights) = ModelFolder.Read(dir);
            var expected = LlamaWeights.Initialize(config);
            Assert.That(weights.Keys, Is.EquivalentTo(expected.Keys));
            foreach (var k in expected.Keys) Assert.That(weights[k], Is.EqualTo(expected[k]), k);
            var onnx = OnnxFile.Load(Path.Combine(dir, ModelFolder.ForwardFile));
            Assert.That(onnx.Graph.Output.Single().Name, Is.EqualTo("logits"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }
}
