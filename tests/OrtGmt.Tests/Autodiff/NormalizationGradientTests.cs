using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

public class NormalizationGradientTests
{
    [TestCase(-1, true)]
    [TestCase(-1, false)]
    [TestCase(1, true)]
    [TestCase(-2, true)]
    public void LayerNormalizationMatchesFiniteDifferences(long axis, bool withBias)
    {
        var c = new GradCheck((int)axis + 5);
        long[] shape = [2, 3, 4];
        long[] normalized = shape[(int)(axis < 0 ? axis + shape.Length : axis)..];
        var x = c.Double("x", shape, -2, 2, declared: ["batch", null, 4]);
        var scale = c.Double("scale", normalized, 0.5, 1.5);
        var bias = withBias ? c.Double("bias", normalized) : null;
        var inputs = bias is null ? new[] { x, scale } : [x, scale, bias];
        c.Output(c.G.Node("LayerNormalization", inputs, 1, Attr.Int("axis", axis), Attr.Float("epsilon", 1e-3f))[0]);
        c.Check(Tolerance.Float64, bias is null ? [x, scale] : [x, scale, bias]);
    }

    // In float32 the rule reuses the forward node's Mean/InvStdDev outputs; float32 tolerances apply.
    [TestCase(-1)]
    [TestCase(1)]
    public void Float32LayerNormalizationReusesTheForwardStatistics(long axis)
    {
        var c = new GradCheck(11);
        var g = c.G;
        var x = c.Double("x", [2, 3, 4], -2, 2, declared: ["batch", null, 4]);
        long[] normalized = axis == 1 ? [3, 4] : [4];
        var scale = c.Double("scale", normalized, 0.5, 1.5);
        var bias = c.Double("bias", normalized);
        string F(string v) => g.Cast(v, DataType.Float);
        var y = g.Node("LayerNormalization", [F(x), F(scale), F(bias)], 1, Attr.Int("axis", axis))[0];
        c.Output(g.Cast(y, DataType.Double));
        var (loss, grad, result) = c.Build(x, scale, bias);
        Assert.That(grad.Graph.Node.Single(n => n.OpType == "LayerNormalization").Output, Has.Count.EqualTo(3));
        c.Verify(loss, grad, result, Tolerance.Float32);
    }

    [Test]
    public void LayerNormalizationWithUnusedMeanAndInvStdDevOutputs()
    {
        var c = new GradCheck(9);
        var x = c.Double("x", [3, 5], -2, 2);
        var scale = c.Double("scale", [5], 0.5, 1.5);
        var outs = c.G.Node("LayerNormalization", [x, scale], 3);
        c.Output(outs[0]);
        c.Check(Tolerance.Float64, x, scale);
    }
}
