namespace OrtGmt.Tests.Autodiff;

public class ConcatSplitSliceGradientTests
{
    [TestCase(1)]
    [TestCase(-1)]
    [TestCase(0)]
    public void ConcatSplitsTheGradientBackToEachInput(long axis)
    {
        var c = new GradCheck((int)axis + 3);
        long[] Shape(long along) => axis == 0 ? [along, 3, 2] : axis == 1 ? [2, along, 2] : [2, 3, along];
        var a = c.Double("a", Shape(1));
        var b = c.Double("b", Shape(3));
        var d = c.Double("d", Shape(2), declared: [null, null, null]);
        c.Output(c.G.Concat(axis, a, b, d));
        c.Check(Tolerance.Float64, a, b, d);
    }

    [Test]
    public void SplitWithSizesConcatenatesTheGradients()
    {
        var c = new GradCheck(4);
        var x = c.Double("x", [2, 7]);
        var parts = c.G.Split(x, 1, 3, c.G.Ints(2, 4, 1));
        c.Output(c.G.Mul(parts[0], parts[0]));
        c.Output(parts[2]);
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void EqualSplitWithAnUnusedOutputGivesZerosThere()
    {
        var c = new GradCheck(5);
        var x = c.Double("x", [6, 2]);
        var parts = c.G.Split(x, 0, 3);
        c.Output(c.G.Mul(parts[1], parts[2]));
        c.Check(Tolerance.Float64, x);
    }

    private static IEnumerable<TestCaseData> Slices()
    {
        yield return new TestCaseData(new long[] { 1 }, new long[] { 3 }, new long[] { 1 }, null).SetName("Slice_basic");
        yield return new TestCaseData(new long[] { -3, 0 }, new long[] { -1, long.MaxValue }, new long[] { -1, 0 }, new long[] { 1, 2 }).SetName("Slice_negative_and_step");
        yield return new TestCaseData(new long[] { -1 }, new long[] { long.MinValue }, new long[] { 2 }, new long[] { -1 }).SetName("Slice_reverse");
        yield return new TestCaseData(new long[] { 4, 1 }, new long[] { 0, 100 }, new long[] { 1, 2 }, new long[] { -2, 2 }).SetName("Slice_negative_step_two");
        yield return new TestCaseData(new long[] { 0, 1 }, new long[] { 2, 3 }, null, null).SetName("Slice_axes_omitted");
    }

    [TestCaseSource(nameof(Slices))]
    public void SliceScattersTheGradientBack(long[] starts, long[] ends, long[]? axes, long[]? steps) =>
        CheckSlice(starts, ends, axes, steps, ["a", null, 4]);

    // Static dims take the Pad route for unit steps; the scatter route above covers the rest.
    [TestCaseSource(nameof(Slices))]
    public void SliceOnStaticDimsPadsTheGradientBack(long[] starts, long[] ends, long[]? axes, long[]? steps) =>
        CheckSlice(starts, ends, axes, steps, null);

    private static void CheckSlice(long[] starts, long[] ends, long[]? axes, long[]? steps, object?[]? declared)
    {
        var c = new GradCheck(6);
        var x = c.Double("x", [3, 5, 4], declared: declared);
        var g = c.G;
        string y = axes is null ? g.Slice(x, g.Ints(starts), g.Ints(ends)) : g.Slice(x, starts, ends, axes, steps);
        c.Output(y);
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void RotateHalfWithSliceNegConcatMatchesFiniteDifferences()
    {
        var c = new GradCheck(7);
        var g = c.G;
        var x = c.Double("x", [2, 3, 6]);
        var lo = g.Slice(x, [0], [3], [-1]);
        var hi = g.Slice(x, [3], [long.MaxValue], [-1]);
        c.Output(g.Concat(-1, g.Neg(hi), lo));
        c.Check(Tolerance.Float64, x);
    }
}
