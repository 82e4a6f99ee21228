namespace OrtGmt.Autodiff.Rules;

/// <summary>Slice with any starts, ends, axes and steps (negative ones included).</summary>
internal static class SliceRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = x[starts:ends:steps]: dx = zeros with dy scattered back to the positions the slice read.
        // The positions come from slicing a tensor of flat indices with the node's own parameters, which
        // makes the rule exact for every clamping and stepping case the Slice op itself handles.
        r["Slice"] = c =>
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
            return [g.Reshape(scattered, shape)];
        };
    }
}
