using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Graph;
using OrtGmt.Layout;
using OrtGmt.Models;
using OrtGmt.Onnx;
using OrtGmt.SafeTensors;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Artifacts;

public class ArtifactGeneratorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private string TinyModel()
    {
        var c = LlamaConfig.LoadNamedOrFile("tiny");
        string dir = Path.Combine(_dir, "model");
        ModelFolder.Write(dir, c, LlamaWeights.Initialize(c));
        return Path.Combine(dir, ModelFolder.ForwardFile);
    }

    [Test]
    public void ManifestGivesEveryLlamaParameterItsCategoryLayerAndOffset()
    {
        var m = ArtifactGenerator.Generate(TinyModel(), Path.Combine(_dir, "a"));
        var byName = m.Parameters.ToDictionary(p => p.Name);
        Assert.That(byName["model.embed_tokens.weight"].Category, Is.EqualTo(ParameterCategory.Embed));
        Assert.That(byName["model.embed_tokens.weight"].Layer, Is.Null);
        Assert.That(byName["model.layers.1.self_attn.q_proj.weight"].Category, Is.EqualTo(ParameterCategory.Attn));
        Assert.That(byName["model.layers.1.self_attn.q_proj.weight"].Layer, Is.EqualTo(1));
        Assert.That(byName["model.layers.0.mlp.down_proj.weight"].Category, Is.EqualTo(ParameterCategory.Mlp));
        Assert.That(byName["model.layers.0.input_layernorm.weight"].Category, Is.EqualTo(ParameterCategory.Norm));
        Assert.That(byName["model.norm.weight"].Category, Is.EqualTo(ParameterCategory.Norm));
        Assert.That(m.Parameters.Length, Is.EqualTo(LlamaWeights.Shapes(LlamaConfig.LoadNamedOrFile("tiny")).Count));
        Assert.That(m.Vocab, Is.EqualTo(259));
        Assert.That(m.DataInputs, Is.EqualTo(new[] { "input_ids", "labels", "attention_mask" }));
        Assert.That(m.OptionalInputs, Is.Empty);
        var reloaded = ArtifactManifest.Load(Path.Combine(_dir, "a", ArtifactManifest.FileName));
        Assert.That(reloaded.TotalElements, Is.EqualTo(m.TotalElements));
        var checkpoint = SafeTensorsFile.ReadDictionary(Path.Combine(_dir, "a", "checkpoint", "model.safetensors"));
        Assert.That(checkpoint.Keys, Is.EquivalentTo(m.Parameters.Select(p => p.Name)));
    }

    [Test]
    public void TrainingGraphLoadsAtTheHighestOptimisationLevelWithLossThenGradientsInParameterOrder()
    {
        var m = ArtifactGenerator.Generate(TinyModel(), Path.Combine(_dir, "a"));
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(Path.Combine(_dir, "a", m.Files.TrainingModel), options);
        Assert.That(session.OutputNames, Is.EqualTo(new[] { "loss" }.Concat(m.Parameters.Select(p => p.Name + "_grad"))));
        Assert.That(session.InputNames, Does.Contain("input_ids").And.Contain("labels"));
    }

    [Test]
    public void TrainableAndFrozenGlobsChooseTheParameters()
    {
        var m = ArtifactGenerator.Generate(TinyModel(), Path.Combine(_dir, "a"), new ArtifactOptions
        {
            Trainable = ["model.layers.*"],
            Frozen = ["*.mlp.*"],
        });
        Assert.That(m.Parameters.Select(p => p.Name), Has.All.StartsWith("model.layers.").And.All.Not.Contains(".mlp."));
        Assert.That(m.Frozen, Does.Contain("model.embed_tokens.weight").And.Contain("model.layers.0.mlp.up_proj.weight"));
    }

    [Test]
    public void AGlobThatMatchesNothingIsAnErrorNamingTheOption()
    {
        var e = Assert.Throws<ConfigException>(() => ArtifactGenerator.Generate(TinyModel(), Path.Combine(_dir, "a"), new ArtifactOptions { Trainable = ["decoder.*"] }))!;
        Assert.That(e.Field, Is.EqualTo("trainable"));
        Assert.That(e.Message, Does.Contain("decoder.*"));
    }

    [Test]
    public void UnsupportedOpOnAParameterPathNamesTheOpTheNodeAndTheParameter()
    {
        var g = new GraphBuilder("bad");
        var ids = g.Input("input_ids", DataType.Int64, "batch", "seq");
        g.Initializer(Tensors.FromFloats("emb", [10, 4], new float[40]));
        g.Initializer(Tensors.FromFloats("head", [4, 10], new float[40]));
        var h = g.Gather("emb", ids);
        var odd = g.Op("Hardmax", [h]);
        g.Output(g.MatMul(odd, "head"), "logits", DataType.Float, "batch", "seq", 10);
        string path = Path.Combine(_dir, "bad.onnx");
        OnnxFile.Save(g.ToModel(), path);
        var e = Assert.Throws<OrtGmt.Autodiff.UnsupportedOperatorException>(() => ArtifactGenerator.Generate(path, Path.Combine(_dir, "a")))!;
        Assert.That(e.Message, Does.Contain("Hardmax").And.Contain("emb"));
        Assert.That(e.Message, Does.Contain(g.Graph.Node.Single(n => n.OpType == "Hardmax").Name));
    }

    [Test]
    public void ModelWithoutInputIdsIsAClearError()
    {
        var g = new GraphBuilder("noids");
        var x = g.Input("x", DataType.Float, 2);
        g.Output(g.Relu(x), "logits", DataType.Float, 2);
        string path = Path.Combine(_dir, "noids.onnx");
        OnnxFile.Save(g.ToModel(), path);
        var e = Assert.Throws<InvalidFileException>(() => ArtifactGenerator.Generate(path, Path.Combine(_dir, "a")))!;
        Assert.That(e.Message, Does.Contain("input_ids").And.Contain("noids.onnx"));
    }
}
