using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff.Rules;

/// <summary>Ops that move, copy or relabel elements without arithmetic.</summary>
internal static class ShapeRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = x with another shape: dx = dy reshaped to x's shape
        GradientRule reshapeBack = c => [c.G.Reshape(c.Dy, c.G.Shape(c.In(0)))];
        foreach (var op in new[] { "Reshape", "Flatten", "Squeeze", "Unsqueeze" }) r[op] = reshapeBack;

        // y = x: dx = dy
        r["Identity"] = c => [c.Dy];

        // y = x in inference mode: dx = dy (training mode would need the mask, which inference kernels do not emit)
        r["Dropout"] = Dropout;

        // y = cast(x): dx = cast(dy) back to x's type
        r["Cast"] = c => [c.TypeOf(c.In(0)).Elem is var e && e != DataType.Undefined ? c.G.Cast(c.Dy, e) : c.G.CastLike(c.Dy, c.In(0))];

        // y = transpose(x, p): dx = transpose(dy, p⁻¹)
        r["Transpose"] = c =>
        {
            var perm = c.Node.GetInts("perm");
            if (perm is null) return [c.G.Transpose(c.Dy)];
            var inverse = new long[perm.Length];
            for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
            return [c.G.Transpose(c.Dy, inverse)];
        };

        // y = expand(x, shape): dx = dy summed over the broadcast axes
        r["Expand"] = c => [c.ForBroadcast(0, () => c.Dy)];

        // y = tile(x, reps): dx = Σ over the copies of dy viewed as [r₀, d₀, r₁, d₁, …]
        r["Tile"] = Tile;

        // y = where(cond, a, b): da = dy where cond, db = dy where ¬cond (cond carries none)
        r["Where"] = c =>
        [
            null,
            c.ForBroadcast(1, () => c.G.Where(c.In(0), c.Dy, c.Scalar(0, c.Out(0)))),
            c.ForBroadcast(2, () => c.G.Where(c.In(0), c.Scalar(0, c.Out(0)), c.Dy)),
        ];

        // y = pad(x, p) with a constant: dx = pad(dy, −p), i.e. dy cropped back (and x's cropped parts get zeros)
        r["Pad"] = c =>
        {
            if (c.Node.GetString("mode", "constant") != "constant") throw RuleCall.Limit("only constant-mode Pad has a gradient rule");
            if (c.Want(2)) throw RuleCall.Limit("the pad value carries no gradient rule");
            return [c.G.Op("Pad", [c.Dy, c.G.Neg(c.In(1))])];
        };

        // y = cumsum(x) along an axis: dx = cumsum of dy in the opposite direction (same exclusivity)
        r["CumSum"] = c =>
        {
            bool reverse = c.Node.GetInt("reverse", 0) != 0;
            var attrs = new[] { Attr.Int("exclusive", c.Node.GetInt("exclusive", 0)), Attr.Int("reverse", reverse ? 0 : 1) };
            return [c.G.Op("CumSum", [c.Dy, c.In(1)], attrs), null];
        };

        // y = triangle of x: dx = the same triangle of dy
        r["Trilu"] = c => [c.G.Trilu(c.Dy, c.Node.GetInt("upper", 1) != 0, c.Has(1) ? c.In(1) : null)];
    }

    private static string?[] Dropout(RuleCall c)
    {
        if (c.Has(2))
        {
            var mode = c.Ctx.Types.ConstantOf(c.In(2));
            bool inference = mode is not null && Onnx.Tensors.ReadBytes(mode) is [0];
            if (!inference) throw RuleCall.Limit("Dropout in training mode (training_mode not a constant false) is not supported; export the model in eval mode");
        }
        return [c.Dy];
    }

    private static string?[] Tile(RuleCall c)
    {
        var g = c.G;
        int rank = c.Rank(c.In(0));
        string x = c.In(0), reps = c.In(1);
        // Interleave [r₀, d₀, r₁, d₁, …] and sum the r axes away.
        var pairs = g.Concat(1, g.Unsqueeze(reps, 1), g.Unsqueeze(g.Shape(x), 1));
        var view = g.Reshape(c.Dy, g.Reshape(pairs, -1));
        var axes = Enumerable.Range(0, rank).Select(i => 2L * i).ToArray();
        return [rank == 0 ? c.Dy : g.ReduceSum(view, axes, keepDims: false), null];
    }
}
