using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>ReduceSum (axes input), ReduceMean / ReduceMax / ReduceMin (axes attribute, opset ≤ 17, or input).</summary>
internal static class ReductionRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = Σₐ x: dx = dy broadcast back over the reduced axes
        r["ReduceSum"] = c => [Spread(c, c.Dy), null];

        // y = (1/n)·Σₐ x: dx = dy/n broadcast back, n = |x|/|y|
        r["ReduceMean"] = c => [c.G.Div(Spread(c, c.Dy), Count(c)), null];

        // y = maxₐ x (min likewise): dx = dy at the extremal entries, shared evenly among ties
        r["ReduceMax"] = Extremum;
        r["ReduceMin"] = Extremum;
    }

    // Re-inserts the reduced axes (when keepdims = 0) so that v broadcasts against the input.
    private static string KeepDims(RuleCall c, string v)
    {
        if (c.Node.GetInt("keepdims", 1) != 0) return v;
        if (c.Node.GetInts("axes") is { } axes) return axes.Length == 0 ? v : c.G.Unsqueeze(v, axes);
        if (!c.Has(1) || c.ConstInts(1) is { Length: 0 }) return v;
        return c.G.Unsqueeze(v, c.In(1));
    }

    private static bool IsNoop(RuleCall c)
    {
        if (c.Node.GetInt("noop_with_empty_axes", 0) == 0) return false;
        bool noAxes = c.Node.GetInts("axes") is null or { Length: 0 } && (!c.Has(1) || c.ConstInts(1) is { Length: 0 });
        if (noAxes) return true;
        if (c.Has(1) && c.ConstInts(1) is null) throw RuleCall.Limit("noop_with_empty_axes with axes computed at run time is not supported");
        return false;
    }

    private static string Spread(RuleCall c, string dy) => IsNoop(c) ? dy : c.G.Expand(KeepDims(c, dy), c.G.Shape(c.In(0)));

    private static string Count(RuleCall c)
    {
        if (c.TypeOf(c.In(0)).StaticDims is { } xs && c.TypeOf(c.Out(0)).StaticDims is { } ys)
            return c.Scalar(xs.Aggregate(1L, (a, b) => a * b) / Math.Max(1, ys.Aggregate(1L, (a, b) => a * b)), c.In(0));
        var g = c.G;
        return g.Div(g.CastLike(g.Size(c.In(0)), c.In(0)), g.CastLike(g.Size(c.Out(0)), c.In(0)));
    }

    private static string?[] Extremum(RuleCall c)
    {
        if (IsNoop(c)) return [c.Dy, null];
        var g = c.G;
        string x = c.In(0);
        var hits = g.CastLike(g.Equal(x, KeepDims(c, c.Out(0))), x);
        var axes = c.Node.GetInts("axes") is { } a ? g.Ints(a) : c.Has(1) ? c.In(1) : null;
        var ties = g.ReduceSum(hits, axes, keepDims: true);
        return [g.Div(g.Mul(hits, KeepDims(c, c.Dy)), ties), null];
    }
}
