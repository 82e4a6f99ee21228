using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff.Rules;

/// <summary>LayerNormalization over the axes from <c>axis</c> to the last, computed in the input's type.</summary>
internal static class NormalizationRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = x̂·s + b with x̂ = (x − μ)·ρ, ρ = 1/√(σ² + ε):
        // db = Σ dy, ds = Σ dy·x̂, dx = ρ·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·s
        r["LayerNormalization"] = LayerNorm;
    }

    private static string?[] LayerNorm(RuleCall c)
    {
        if (c.OutGrad(1) is not null || c.OutGrad(2) is not null)
            throw RuleCall.Limit("gradients through LayerNormalization's Mean/InvStdDev outputs are not supported");
        var g = c.G;
        string x = c.In(0), scale = c.In(1), dy = c.Dy;
        long axis = c.Node.GetInt("axis", -1);
        long[] axes = axis < 0
            ? Enumerable.Range(0, (int)-axis).Select(i => axis + i).ToArray()
            : Enumerable.Range((int)axis, c.Rank(x) - (int)axis).Select(i => (long)i).ToArray();
        double epsilon = c.Node.GetFloat("epsilon", 1e-5f);

        string centered, rho;
        if (c.Node.GetInt("stash_type", 1) == 1 && c.TypeOf(x).Elem == DataType.Float)
        {
            // The forward node computes μ and ρ anyway: expose them instead of recomputing.
            centered = g.Sub(x, c.EnsureOutput(1, "mean"));
            rho = c.EnsureOutput(2, "inv_std_dev");
        }
        else
        {
            centered = g.Sub(x, g.ReduceMean(x, axes));
            var variance = g.ReduceMean(g.Mul(centered, centered), axes);
            rho = g.Reciprocal(g.Sqrt(g.Add(variance, c.Scalar(epsilon, x))));
        }
        var xhat = g.Mul(centered, rho);
        var outType = c.TypeOf(c.Out(0));
        return
        [
            c.For(0, () =>
            {
                var gh = g.Mul(dy, scale);
                var inner = g.Sub(g.Sub(gh, g.ReduceMean(gh, axes)), g.Mul(xhat, g.ReduceMean(g.Mul(gh, xhat), axes)));
                return g.Mul(rho, inner);
            }),
            c.For(1, () => c.Ctx.ReduceTo(g.Mul(dy, xhat), outType, scale)),
            c.Has(2) ? c.For(2, () => c.Ctx.ReduceTo(dy, outType, c.In(2))) : null,
        ];
    }
}
