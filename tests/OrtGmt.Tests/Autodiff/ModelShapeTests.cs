using OrtGmt.Autodiff;
using OrtGmt.Graph;
using OrtGmt.Models;
using OrtGmt.Onnx;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

/// <summary>
/// Gradient graphs of real model graphs stay cheap: the built-in Llama family and models exported by PyTorch
/// (artifacts/fixtures/grad, made by tools/).
/// </summary>
public class ModelShapeTests
{
    [TestCase("tiny")]
    [TestCase("small")]
    public void SymbolicShapesSettleEveryBroadcastReductionOfTheBuiltInLlamaFamily(string name)
    {
        var config = LlamaConfig.LoadNamedOrFile(name);
        var model = LlamaGraph.Build(config, LlamaWeights.Initialize(config));
        var g = new GraphBuilder(model.Graph);
        var loss = g.ReduceSum(model.Graph.Output[0].Name, (string?)null, keepDims: false);
        int forwardNodes = model.Graph.Node.Count;
        var parameters = model.Graph.Initializer.Where(t => t.DataType == (int)DataType.Float).Select(t => t.Name).ToList();

        var result = GradientBuilder.Build(g, loss, parameters);

        Assert.That(result.Unreached, Is.Empty);
        Assert.That(model.Graph.Node.Skip(forwardNodes).Where(n => n.OpType == "NonZero").Select(n => n.Name), Is.Empty);
    }

    [TestCase("gpt2")]
    [TestCase("gpt2_folded")]
    [TestCase("llama_hf")]
    [TestCase("opt_like")]
    public void SymbolicShapesSettleEveryBroadcastReductionOfAnExportedModel(string name)
    {
        // Residual adds, biases, RoPE tables, repeat_kv and attention masks all get shapes that inference proves
        // equal or reducible along constant axes; the run-time path (NonZero over padded shapes) is never needed.
        var model = OnnxFile.Load(TestPaths.Artifact("fixtures", "grad", name, "model.onnx"));
        var g = new GraphBuilder(model.Graph);
        g.Input("labels", DataType.Int64, "batch", "seq");
        string logits = model.Graph.Output[0].Name;
        var flat = g.Reshape(logits, g.Concat(0, g.Ints(-1), g.Shape(logits, -1)));
        var loss = g.Node("SoftmaxCrossEntropyLoss", [flat, g.Reshape("labels", -1)], 1,
            Attr.String("reduction", "mean"), Attr.Int("ignore_index", -100))[0];
        int forwardNodes = model.Graph.Node.Count;
        var parameters = model.Graph.Initializer.Where(t => t.DataType == (int)DataType.Float).Select(t => t.Name).ToList();

        var result = GradientBuilder.Build(g, loss, parameters);

        Assert.That(result.Gradients, Is.Not.Empty);
        var added = model.Graph.Node.Skip(forwardNodes).ToList();
        Assert.That(added.Where(n => n.OpType == "NonZero").Select(n => n.Name), Is.Empty);
    }
}
