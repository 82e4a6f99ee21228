using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

public class ActivationGradientTests
{
    [TestCase("Sqrt", 0.5, 2.0)]
    [TestCase("Reciprocal", 0.5, 2.0)]
    [TestCase("Exp", -1.0, 1.0)]
    [TestCase("Log", 0.5, 2.0)]
    [TestCase("Tanh", -2.0, 2.0)]
    [TestCase("Sigmoid", -3.0, 3.0)]
    [TestCase("Relu", -1.0, 1.0)]
    [TestCase("Abs", -1.0, 1.0)]
    [TestCase("Sin", -3.0, 3.0)]
    [TestCase("Cos", -3.0, 3.0)]
    [TestCase("LeakyRelu", -1.0, 1.0)]
    public void UnaryOpsMatchFiniteDifferences(string op, double lo, double hi)
    {
        var c = new GradCheck(op.Length);
        var x = c.Double("x", [c.Dim(1, 3), c.Dim(2, 5), c.Dim(1, 3)], lo, hi);
        c.Output(c.G.Op(op, [x]));
        c.Check(Tolerance.Float64, x);
    }

    // ONNX Runtime's CPU Erf kernel is float32 only: the graph casts around it, so float32 tolerances apply.
    [Test]
    public void ErfMatchesFiniteDifferencesInFloat32()
    {
        var c = new GradCheck(21);
        var x = c.Double("x", [3, 4], -2, 2);
        var y = c.G.Erf(c.G.Cast(x, DataType.Float));
        c.Output(c.G.Cast(y, DataType.Double));
        c.Check(Tolerance.Float32, x);
    }

    // Softplus has no float64 CPU kernel either.
    [Test]
    public void SoftplusMatchesFiniteDifferencesInFloat32()
    {
        var c = new GradCheck(25);
        var x = c.Double("x", [3, 4], -3, 3);
        c.Output(c.G.Cast(c.G.Op("Softplus", [c.G.Cast(x, DataType.Float)]), DataType.Double));
        c.Check(Tolerance.Float32, x);
    }

    [Test]
    public void ErfGeluChainMatchesFiniteDifferences()
    {
        // 0.5·x·(1 + erf(x/√2)) as BERT-like exports write it, with Erf computed in float32.
        var c = new GradCheck(22);
        var g = c.G;
        var x = c.Double("x", [2, 5], -2, 2);
        var e = g.Cast(g.Erf(g.Cast(g.Div(x, g.Scalar(Math.Sqrt(2), DataType.Double)), DataType.Float)), DataType.Double);
        c.Output(g.Mul(g.Mul(x, g.Add(e, g.Scalar(1, DataType.Double))), g.Scalar(0.5, DataType.Double)));
        c.Check(Tolerance.Float32, x);
    }

    [TestCase("Sign")]
    [TestCase("Floor")]
    [TestCase("Ceil")]
    [TestCase("Round")]
    public void PiecewiseConstantOpsContributeNoGradient(string op)
    {
        // y = x·f(x) with f piecewise constant: dy/dx = f(x) away from the jumps.
        var c = new GradCheck(op.Length + 30);
        var x = c.Double("x", [c.Dim(2, 4), c.Dim(2, 4)], -2, 2);
        c.Output(c.G.Mul(x, c.G.Op(op, [x])));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void ClipPassesGradientInsideTheBoundsOnly()
    {
        var c = new GradCheck(23);
        var x = c.Double("x", [4, 5], -2, 2);
        c.Output(c.G.Op("Clip", [x, c.G.Scalar(-0.7, DataType.Double), c.G.Scalar(0.9, DataType.Double)]));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void CastThroughFloat16CastsTheGradientBack()
    {
        // float16 rounds x to ~2.4e-4 near 0.5: with a 0.02 step the central difference of the rounded
        // function is accurate to ~1.2 %, so the tolerance is loose.
        var c = new GradCheck(26);
        var x = c.Double("x", [2, 3], 0.25, 1);
        c.Output(c.G.Cast(c.G.Cast(x, DataType.Float16), DataType.Double));
        c.Check(new Tolerance(Step: 0.02, Abs: 1e-3, Rel: 0.05), x);
    }

    [Test]
    public void CastBetweenFloatTypesCastsTheGradientBack()
    {
        var c = new GradCheck(24);
        var x = c.Double("x", [3, 3], -1, 1);
        var f = c.G.Cast(x, DataType.Float);
        c.Output(c.G.Cast(c.G.Mul(f, f), DataType.Double));
        c.Check(Tolerance.Float32, x);
    }
}
