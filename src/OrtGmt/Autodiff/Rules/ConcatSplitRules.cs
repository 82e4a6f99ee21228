using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>Concat and Split, each the other's gradient.</summary>
internal static class ConcatSplitRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = concat(x₀, x₁, …): dxᵢ = the slice of dy that xᵢ filled
        r["Concat"] = Concat;

        // (y₀, y₁, …) = split(x): dx = concat(dy₀, dy₁, …), zeros for outputs that do not reach the loss
        r["Split"] = c =>
        {
            var parts = Enumerable.Range(0, c.Node.Output.Count)
                .Select(i => c.OutGrad(i) ?? c.Ctx.ZerosLike(c.Out(i))).ToArray();
            return [c.G.Concat(c.Node.GetInt("axis", 0), parts), null];
        };
    }

    private static string?[] Concat(RuleCall c)
    {
        var g = c.G;
        long axis = c.Node.GetInt("axis", 0);
        int n = c.Node.Input.Count;
        if (n == 1) return [c.Dy];
        var sizes = g.Concat(0, Enumerable.Range(0, n).Select(i => c.Ctx.DimAt(c.In(i), axis)).ToArray());
        var pieces = g.Split(c.Dy, axis, n, sizes);
        return Enumerable.Range(0, n).Select(i => c.Want(i) ? pieces[i] : null).ToArray();
    }
}
