using OrtGmt.Onnx;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

public class ArithmeticGradientTests
{
    // Shape pairs drawn per seed: equal, trailing broadcast, scalar-like, and two-sided broadcast.
    private static IEnumerable<(long[] A, long[] B)> Shapes(GradCheck c)
    {
        long a = c.Dim(2, 4), b = c.Dim(2, 3), d = c.Dim(2, 4);
        yield return ([a, b], [a, b]);
        yield return ([a, 1, d], [d]);
        yield return ([a, b], [1]);
        yield return ([1, b, 1], [a, 1, d]);
    }

    [TestCase("Add", 1)]
    [TestCase("Sub", 2)]
    [TestCase("Mul", 3)]
    [TestCase("Div", 4)]
    [TestCase("Pow", 5)]
    [TestCase("Max", 6)]
    [TestCase("Min", 7)]
    [TestCase("Sum", 8)]
    public void BinaryOpsMatchFiniteDifferencesUnderBroadcasting(string op, int seed)
    {
        var shapes = Shapes(new GradCheck(seed)).ToList();
        for (int k = 0; k < shapes.Count; k++)
        {
            var c = new GradCheck(seed * 100 + k);
            bool positive = op is "Div" or "Pow";
            var a = c.Double("a", shapes[k].A, positive ? 0.5 : -1, positive ? 1.5 : 1);
            var b = c.Double("b", shapes[k].B, positive ? 0.5 : -1, positive ? 1.5 : 1);
            c.Output(c.G.Op(op, [a, b]));
            var result = c.Check(Tolerance.Float64, a, b);
            Assert.That(result.Gradients.Keys, Is.EquivalentTo(new[] { "a", "b" }));
        }
    }

    // ONNX Runtime's CPU Mean kernel is float32 only: the graph casts around it, so float32 tolerances apply.
    [Test]
    public void MeanOfBroadcastInputsMatchesFiniteDifferencesInFloat32()
    {
        var c = new GradCheck(9);
        var g = c.G;
        var a = c.Double("a", [2, 3, 4]);
        var b = c.Double("b", [3, 1]);
        var mean = g.Op("Mean", [g.Cast(a, DataType.Float), g.Cast(b, DataType.Float)]);
        c.Output(g.Cast(mean, DataType.Double));
        c.Check(Tolerance.Float32, a, b);
    }

    [TestCase(2.0)]
    [TestCase(3.0)]
    [TestCase(1.7)]
    [TestCase(-0.5)]
    public void PowWithConstantExponentMatchesFiniteDifferences(double exponent)
    {
        var c = new GradCheck(11);
        var x = c.Double("x", [c.Dim(2, 4), c.Dim(2, 4)], 0.5, 2);
        c.Output(c.G.Pow(x, c.G.Constant(Tensors.FromDoubles("e", [], [exponent]))));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void PowWithFloatExponentOnDoubleBaseCastsTheExponent()
    {
        var c = new GradCheck(12);
        var x = c.Double("x", [3, 2], 0.5, 2);
        c.Output(c.G.Pow(x, c.G.Constant(Tensors.FromFloats("e", [], [3f]))));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void NegMatchesFiniteDifferences()
    {
        var c = new GradCheck(13);
        var x = c.Double("x", [c.Dim(1, 4), c.Dim(1, 4)]);
        c.Output(c.G.Neg(x));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void VariadicSumWithThreeBroadcastInputs()
    {
        var c = new GradCheck(14);
        var a = c.Double("a", [2, 3, 4]);
        var b = c.Double("b", [3, 1]);
        var d = c.Double("d", [1, 4]);
        c.Output(c.G.Sum(a, b, d));
        c.Check(Tolerance.Float64, a, b, d);
    }
}
