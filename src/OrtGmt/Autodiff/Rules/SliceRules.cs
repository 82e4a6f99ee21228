namespace OrtGmt.Autodiff.Rules;

/// <summary>Slice with any starts, ends, axes and steps (negative ones included).</summary>
internal static class SliceRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = x[starts:ends:steps]: dx = zeros with dy put back where the slice read it
        r["Slice"] = c => [StaticPads(c) is { } pads ? c.G.Op("Pad", [c.Dy, c.G.Ints(pads)]) : Scatter(c)];
    }

    // Unit steps, constant parameters and static sliced dims (RoPE's halves): a Pad with constant widths.
    private static long[]? StaticPads(RuleCall c)
    {
        var dims = c.TypeOf(c.In(0)).Dims;
        var starts = c.ConstInts(1);
        var ends = c.ConstInts(2);
        if (dims is null || starts is null || ends is null || starts.Length != ends.Length) return null;
        var axes = c.Has(3) ? c.ConstInts(3) : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        var steps = c.Has(4) ? c.ConstInts(4) : Enumerable.Repeat(1L, starts.Length).ToArray();
        if (axes is null || steps is null || axes.Length != starts.Length || steps.Any(s => s != 1)) return null;
        int rank = dims.Length;
        var pads = new long[2 * rank];
        for (int j = 0; j < axes.Length; j++)
        {
            long a = axes[j] < 0 ? axes[j] + rank : axes[j];
            if (a < 0 || a >= rank || dims[a].Value is not { } d) return null;
            long s = Math.Clamp(starts[j] < 0 ? starts[j] + d : starts[j], 0, d);
            long e = Math.Clamp(ends[j] < 0 ? ends[j] + d : ends[j], 0, d);
            pads[a] = s;
            pads[rank + a] = d - Math.Max(e, s);
        }
        return pads;
    }

    // The general case: slice a tensor of flat positions with the node's own parameters, which is exact for
    // every clamping and stepping rule Slice has, and scatter dy to those positions.
    private static string Scatter(RuleCall c)
    {
        var g = c.G;
        string x = c.In(0);
        var shape = g.Shape(x);
        var count = g.Size(x);
        var flat = g.Reshape(g.Range(g.IntScalar(0), count, g.IntScalar(1)), shape);
        var inputs = new List<string> { flat };
        inputs.AddRange(c.Node.Input.Skip(1));
        var positions = g.Reshape(g.Op("Slice", inputs), -1);
        var zeros = g.Expand(c.Scalar(0, x), g.Unsqueeze(count, 0));
        var scattered = g.ScatterElements(zeros, positions, g.Reshape(c.Dy, -1), axis: 0);
        return g.Reshape(scattered, shape);
    }
}
