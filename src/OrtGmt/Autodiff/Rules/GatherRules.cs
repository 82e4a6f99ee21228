using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff.Rules;

/// <summary>Gather (embedding lookup) and GatherElements: gradients scatter-add back into zeros.</summary>
internal static class GatherRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = x[idx] along axis a: dx = zeros with dy added at idx (repeated indices accumulate)
        r["Gather"] = Gather;

        // y[i…] = x[…idx[i…]…] along axis a: dx = zeros with dy added at idx
        r["GatherElements"] = c =>
        {
            var g = c.G;
            var idx = NonNegative(c, c.In(1), c.Ctx.DimAt(c.In(0), c.Node.GetInt("axis", 0)));
            return [g.ScatterElements(c.Ctx.ZerosLike(c.In(0)), idx, c.Dy, c.Node.GetInt("axis", 0), "add"), null];
        };
    }

    private static string?[] Gather(RuleCall c)
    {
        var g = c.G;
        string data = c.In(0);
        long axis = c.Node.GetInt("axis", 0);
        string dy = c.Dy;
        int q = 0, rank = 0;
        if (axis != 0)
        {
            rank = c.Rank(data);
            q = c.Rank(c.In(1));
            if (axis < 0) axis += rank;
        }
        if (axis == 0)
        {
            var idx = NonNegative(c, c.In(1), c.Ctx.DimAt(data, 0));
            return [g.ScatterND(c.Ctx.ZerosLike(data), g.Unsqueeze(idx, -1), dy, "add"), null];
        }
        // Move the gathered axis to the front, scatter along it, and move it back.
        // dy is [d₀…dₐ₋₁, idx…, dₐ₊₁…]; put idx's axes first.
        var perm = Enumerable.Range((int)axis, q).Concat(Enumerable.Range(0, (int)axis)).Concat(Enumerable.Range((int)axis + q, rank - 1 - (int)axis))
            .Select(i => (long)i).ToArray();
        var dataPerm = new[] { axis }.Concat(Enumerable.Range(0, rank).Where(i => i != axis).Select(i => (long)i)).ToArray();
        var movedShape = g.Gather(g.Shape(data), g.Ints(dataPerm));
        var idx2 = NonNegative(c, c.In(1), c.Ctx.DimAt(data, axis));
        var zeros = g.Expand(c.Scalar(0, data), movedShape);
        var scattered = g.ScatterND(zeros, g.Unsqueeze(idx2, -1), g.Transpose(dy, perm), "add");
        var back = new long[rank];
        for (int i = 0; i < rank; i++) back[dataPerm[i]] = i;
        return [g.Transpose(scattered, back), null];
    }

    // Indices as int64 with negative ones wrapped (ScatterND requires int64 in range).
    private static string NonNegative(RuleCall c, string indices, string dimSize)
    {
        var g = c.G;
        string idx = c.TypeOf(indices).Elem == DataType.Int64 ? indices : g.Cast(indices, DataType.Int64);
        var size = g.Reshape(dimSize, System.Array.Empty<long>());
        return g.Where(g.Less(idx, g.IntScalar(0)), g.Add(idx, size), idx);
    }
}
