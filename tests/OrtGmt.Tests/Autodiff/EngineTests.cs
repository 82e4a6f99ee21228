using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Autodiff;
using OrtGmt.Errors;
using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

public class EngineTests
{
    [Test]
    public void LlamaStyleBlockWithShapeAndMaskSidePathsMatchesFiniteDifferences()
    {
        var c = new GradCheck(1);
        var parameters = TinyBlocks.Llama(c, 2, 3);
        var result = c.Check(Tolerance.Float64, parameters);
        Assert.That(result.Gradients.Keys, Is.EquivalentTo(parameters));
        Assert.That(result.Unreached, Is.Empty);
    }

    [Test]
    public void BuiltInLlamaFamilyFormsMatchFiniteDifferences()
    {
        var c = new GradCheck(12);
        var parameters = TinyBlocks.Llama(c, 2, 3, builtInStyle: true);
        c.Check(Tolerance.Float64, parameters);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SymbolicShapesSettleEveryBroadcastReductionOfALlamaBlock(bool builtInStyle)
    {
        // Residual adds, RoPE products and attention all have shapes inference can prove equal,
        // so no reduction axes are computed at run time (NonZero is what that path emits).
        var c = new GradCheck(13);
        var parameters = TinyBlocks.Llama(c, 2, 3, builtInStyle);
        var g = new GraphBuilder(c.G.Graph.Clone());
        GradientBuilder.Build(g, g.ReduceSum("y0", (string?)null, keepDims: false), parameters);
        Assert.That(g.Graph.Node.Where(n => n.OpType == "NonZero").Select(n => n.Name), Is.Empty);
    }

    [Test]
    public void Gpt2StyleBlockMatchesFiniteDifferences()
    {
        var c = new GradCheck(2);
        var parameters = TinyBlocks.Gpt2(c, 2, 3);
        c.Check(Tolerance.Float64, parameters);
    }

    [Test]
    public void GradientsWithSymbolicDimsAreCorrectAtTwoDifferentShapes()
    {
        var c = new GradCheck(3);
        var parameters = TinyBlocks.Llama(c, 2, 3);
        var (loss, grad, result) = c.Build(parameters);
        c.Verify(loss, grad, result, Tolerance.Float64);
        c.Feed("ids", TinyBlocks.Ids(1, 5), [1, 5]);
        c.Verify(loss, grad, result, Tolerance.Float64);
    }

    [Test]
    public void ParameterUsedTwiceGetsTheSumOfBothContributions()
    {
        var c = new GradCheck(4);
        var g = c.G;
        var w = c.Double("w", [3, 3]);
        var x = c.Double("x", [2, 3]);
        // Tied use (w and wᵀ) plus an element-wise use.
        c.Output(g.Add(g.MatMul(g.MatMul(x, w), g.Transpose(w, 1, 0)), g.ReduceSum(g.Mul(w, w), [0L])));
        var result = c.Check(Tolerance.Float64, "w", "x");
        Assert.That(result.Gradients, Is.EqualTo(new Dictionary<string, string> { ["w"] = "w_grad", ["x"] = "x_grad" }));
    }

    [Test]
    public void ParametersTheLossDoesNotReachAreListedAsUnreached()
    {
        var c = new GradCheck(5);
        var g = c.G;
        var w = c.Double("w", [2, 2]);
        c.Double("unused", [3]);
        var shapeOnly = c.Double("shape_only", [2, 2]);
        // shape_only reaches the loss through an integer path only (Shape → Reshape's shape input).
        c.Output(g.Reshape(g.Mul(w, w), g.Shape(shapeOnly)));
        var result = c.Check(Tolerance.Float64, "w", "unused", "shape_only");
        Assert.That(result.Gradients.Keys, Is.EqualTo(new[] { "w" }), string.Join(",", result.Gradients.Keys));
        Assert.That(result.Unreached, Is.EqualTo(new[] { "unused", "shape_only" }));
    }

    [Test]
    public void UnsupportedOpWhoseResultOnlyFeedsAShapeDoesNotBlockGeneration()
    {
        var c = new GradCheck(11);
        var g = c.G;
        var w = c.Double("w", [2, 3]);
        var hard = g.Op("Hardmax", [g.Cast(w, DataType.Float)]);
        c.Output(g.Reshape(g.Mul(w, w), g.Shape(hard)));
        c.Check(Tolerance.Float64, "w");
    }

    [TestCase("Hardmax")]
    [TestCase("Det")]
    public void UnsupportedOpOnAParameterPathNamesTheOpTheNodeAndTheParameters(string op)
    {
        var c = new GradCheck(6);
        var g = c.G;
        var w = c.Double("w_first", [3, 3]);
        var v = c.Double("w_second", [3, 3]);
        c.Double("w_elsewhere", [3, 3]);
        var y = g.Op(op, [g.Mul(w, v)]);
        string nodeName = g.Graph.Node.Last().Name;
        c.Output(g.Add(y, g.Scalar(1, DataType.Double)));
        var e = Assert.Throws<UnsupportedOperatorException>(() => c.Build("w_first", "w_second", "w_elsewhere"))!;
        Assert.That(e, Is.InstanceOf<GraphException>());
        Assert.That(e.Message, Does.Contain($"'{op}'").And.Contain($"'{nodeName}'").And.Contain("'w_first'").And.Contain("'w_second'"));
        Assert.That(e.Message, Does.Not.Contain("w_elsewhere"));
        Assert.That(e.Parameters, Is.EqualTo(new[] { "w_first", "w_second" }));
    }

    [Test]
    public void UnsupportedOpOnlyOnAConstantPathDoesNotBlockGeneration()
    {
        var c = new GradCheck(7);
        var g = c.G;
        var w = c.Double("w", [3, 3]);
        var constant = g.Constant(OrtGmt.Onnx.Tensors.FromDoubles("k", [3, 3], [1, 2, 0, 0, 1, 3, 2, 0, 1]));
        var eins = g.Op("Einsum", [constant, constant], Attr.String("equation", "ij,jk->ik"));
        // Hardmax has only a float32 kernel; on a constant path its precision does not matter.
        var hard = g.Cast(g.Op("Hardmax", [g.Cast(eins, DataType.Float)]), DataType.Double);
        c.Output(g.Mul(w, g.Add(eins, hard)));
        c.Check(Tolerance.Float64, "w");
    }

    [Test]
    public void TrainingModeDropoutIsAClearError()
    {
        var c = new GradCheck(8);
        var g = c.G;
        var w = c.Double("w", [3]);
        var trainingMode = g.Constant(OrtGmt.Onnx.Tensors.FromBytes("t", [], DataType.Bool, [1]));
        var dropped = g.Node("Dropout", [w, g.Scalar(0.1, DataType.Double), trainingMode], 1)[0];
        c.Output(g.ReduceSum(g.Sigmoid(dropped), (string?)null, keepDims: false));
        var g2 = new GraphBuilder(c.G.Graph.Clone());
        var before = g2.Graph.Clone();
        var e = Assert.Throws<UnsupportedOperatorException>(() => GradientBuilder.Build(g2, "y0", ["w"]))!;
        Assert.That(e.Message, Does.Contain("Dropout").And.Contain("training mode").And.Contain("'w'"));
        Assert.That(g2.Graph, Is.EqualTo(before), "a failed generation leaves the graph unchanged");
    }

    [Test]
    public void MissingLossOrNonFloatParameterIsAGraphError()
    {
        var c = new GradCheck(9);
        var w = c.Double("w", [2]);
        c.Long("ids", [2], [0, 1]);
        var square = c.G.Mul(w, w);
        c.G.Output(c.G.ReduceSum(square, (string?)null, keepDims: false), "loss", DataType.Double);
        var g = new GraphBuilder(c.G.Graph.Clone());
        Assert.That(() => GradientBuilder.Build(g, square, ["w"]), Throws.InstanceOf<GraphException>().With.Message.Contains("scalar"));
        Assert.That(() => GradientBuilder.Build(g, "no_such_loss", ["w"]), Throws.InstanceOf<GraphException>().With.Message.Contains("no_such_loss"));
        Assert.That(() => GradientBuilder.Build(g, "loss", ["ids"]), Throws.InstanceOf<GraphException>().With.Message.Contains("ids"));
        Assert.That(() => GradientBuilder.Build(g, "loss", ["missing"]), Throws.InstanceOf<GraphException>().With.Message.Contains("missing"));
    }

    [Test]
    public void GeneratedGraphGivesTheSameGradientsWithAllOptimizationsAndWithNone()
    {
        var c = new GradCheck(10);
        var parameters = TinyBlocks.Llama(c, 2, 3);
        var (_, grad, result) = c.Build(parameters);
        Assert.That(grad.OpsetImport.Single().Version, Is.EqualTo(17));
        Assert.That(grad.Graph.Node.Select(n => n.Domain).Distinct(), Is.EqualTo(new[] { "" }));
        var all = RunGradients(grad, GraphOptimizationLevel.ORT_ENABLE_ALL, result);
        var none = RunGradients(grad, GraphOptimizationLevel.ORT_DISABLE_ALL, result);
        // ONNX Runtime's fused kernels (RMSNorm fusion among them) round differently from the plain graph.
        foreach (var p in parameters) Assert.That(all[p], Is.EqualTo(none[p]).Within(1e-7), p);
    }

    private static Dictionary<string, double[]> RunGradients(OrtGmt.Onnx.Proto.ModelProto model, GraphOptimizationLevel level, GradientResult result)
    {
        using var options = GradCheck.Options(level);
        using var session = new InferenceSession(model.ToByteArray(), options);
        var feeds = new Dictionary<string, OrtValue>();
        try
        {
            foreach (var (name, meta) in session.InputMetadata)
            {
                var dims = name == "ids" ? new long[] { 2, 3 } : name == "r0" ? [2, 3, TinyBlocks.Vocab] : meta.Dimensions.Select(d => (long)d).ToArray();
                long count = dims.Aggregate(1L, (a, b) => a * b);
                feeds[name] = name == "ids"
                    ? OrtValue.CreateTensorValueFromMemory(TinyBlocks.Ids(2, 3), dims)
                    : OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, (int)count).Select(i => Math.Sin(i + name.Length)).ToArray(), dims);
            }
            var outputs = result.Gradients.Keys.Select(p => "grad_" + p).ToArray();
            using var runOptions = new RunOptions();
            using var values = session.Run(runOptions, feeds.Keys.ToArray(), feeds.Values.ToArray(), outputs);
            return result.Gradients.Keys.Select((p, i) => (p, values[i].GetTensorDataAsSpan<double>().ToArray())).ToDictionary(t => t.p, t => t.Item2);
        }
        finally
        {
            foreach (var v in feeds.Values) v.Dispose();
        }
    }
}
