using OrtGmt.Graph;

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
