using OrtGmt.Graph;

namespace OrtGmt.Tests.Autodiff;

public class ReductionGradientTests
{
    private static void Check(int seed, Func<GraphBuilder, string, string> op)
    {
        var c = new GradCheck(seed);
        var x = c.Double("x", [c.Dim(2, 3), c.Dim(2, 4), c.Dim(2, 3)], declared: ["a", null, null]);
        c.Output(op(c.G, x));
        c.Check(Tolerance.Float64, x);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ReduceSumWithAxesInput(bool keep) => Check(1, (g, x) => g.ReduceSum(x, [1L, -1L], keep));

    [Test]
    public void ReduceSumOverAllAxes() => Check(2, (g, x) => g.ReduceSum(x, (string?)null, keepDims: false));

    [Test]
    public void ReduceSumWithNoopOnEmptyAxes() => Check(3, (g, x) => g.Mul(x, g.ReduceSum(x, (string?)null, keepDims: true, noopWithEmptyAxes: true)));

    [TestCase(true)]
    [TestCase(false)]
    public void ReduceMeanWithAxesAttribute(bool keep) => Check(4, (g, x) => g.ReduceMean(x, [-1], keep));

    [Test]
    public void ReduceMeanOverAllAxes() => Check(5, (g, x) => g.Op("ReduceMean", [x], Attr.Int("keepdims", 0)));

    [TestCase(true)]
    [TestCase(false)]
    public void ReduceMaxSendsTheGradientToTheMaximum(bool keep) => Check(6, (g, x) => g.ReduceMax(x, [0, 2], keep));

    [Test]
    public void ReduceMinSendsTheGradientToTheMinimum() => Check(7, (g, x) => g.Op("ReduceMin", [x], Attr.Ints("axes", 1), Attr.Int("keepdims", 0)));
}
