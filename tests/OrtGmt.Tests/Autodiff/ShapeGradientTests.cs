using OrtGmt.Graph;
using OrtGmt.Onnx;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

public class ShapeGradientTests
{
    private static void CheckUnary(int seed, long[] shape, Func<GraphBuilder, string, string> op)
    {
        var c = new GradCheck(seed);
        var x = c.Double("x", shape);
        c.Output(op(c.G, x));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void ReshapeMatchesFiniteDifferences() => CheckUnary(1, [2, 3, 4], (g, x) => g.Mul(g.Reshape(x, 0, -1), g.Reshape(x, 2, 12)));

    [Test]
    public void FlattenMatchesFiniteDifferences() =>
        CheckUnary(2, [2, 3, 2, 2], (g, x) => g.Op("Flatten", [x], Attr.Int("axis", 2)));

    [Test]
    public void SqueezeAndUnsqueezeMatchFiniteDifferences() =>
        CheckUnary(3, [2, 1, 3], (g, x) => g.Unsqueeze(g.Squeeze(x, 1), 0, -1));

    [Test]
    public void TransposeWithAndWithoutPermMatchesFiniteDifferences() =>
        CheckUnary(4, [2, 3, 4], (g, x) => g.Add(g.Transpose(x, 2, 0, 1), g.Transpose(g.Transpose(x), 0, 2, 1)));

    [Test]
    public void ExpandSumsOverTheBroadcastAxes() =>
        CheckUnary(5, [3, 1], (g, x) => g.Expand(x, g.Ints(2, 3, 4)));

    [Test]
    public void TileSumsOverTheCopies() =>
        CheckUnary(6, [2, 3], (g, x) => g.Tile(x, g.Ints(2, 3)));

    [Test]
    public void IdentityAndInferenceDropoutPassTheGradientThrough() =>
        CheckUnary(7, [2, 3], (g, x) => g.Mul(g.Identity(x), g.Node("Dropout", [x, g.Scalar(0.5, DataType.Double), g.Constant(Tensors.FromBytes("m", [], DataType.Bool, [0]))], 2)[0]));

    [Test]
    public void WhereSendsTheGradientToTheChosenBranch()
    {
        var c = new GradCheck(8);
        var cond = c.Bool("cond", [3, 1], [true, false, true]);
        var a = c.Double("a", [3, 4]);
        var b = c.Double("b", [4]);
        c.Output(c.G.Where(cond, a, b));
        c.Check(Tolerance.Float64, a, b);
    }

    [Test]
    public void ConstantPadCropsTheGradientBackIncludingNegativePads() =>
        CheckUnary(11, [3, 4], (g, x) => g.Op("Pad", [x, g.Ints(1, -1, 0, 2)]));

    [TestCase(0, 0)]
    [TestCase(1, 0)]
    [TestCase(0, 1)]
    [TestCase(1, 1)]
    public void CumSumRunsTheGradientTheOtherWay(int exclusive, int reverse) =>
        CheckUnary(12, [3, 4], (g, x) => g.Op("CumSum", [x, g.IntScalar(1)], Attr.Int("exclusive", exclusive), Attr.Int("reverse", reverse)));

    [Test]
    public void TriluKeepsTheSameTriangleOfTheGradient()
    {
        CheckUnary(9, [2, 4, 4], (g, x) => g.Trilu(x, upper: false));
        CheckUnary(10, [3, 4], (g, x) => g.Trilu(x, upper: true, g.IntScalar(1)));
    }
}
