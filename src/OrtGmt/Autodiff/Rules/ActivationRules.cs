using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>Element-wise functions of one input.</summary>
internal static class ActivationRules
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = √x: dx = dy·0.5/y
        r["Sqrt"] = c => [c.G.Div(c.G.Mul(c.Dy, c.Scalar(0.5, c.Out(0))), c.Out(0))];

        // y = 1/x: dx = −dy·y²
        r["Reciprocal"] = c => [c.G.Neg(c.G.Mul(c.Dy, c.G.Mul(c.Out(0), c.Out(0))))];

        // y = eˣ: dx = dy·y
        r["Exp"] = c => [c.G.Mul(c.Dy, c.Out(0))];

        // y = ln x: dx = dy/x
        r["Log"] = c => [c.G.Div(c.Dy, c.In(0))];

        // y = tanh x: dx = dy·(1 − y²)
        r["Tanh"] = c => [c.G.Mul(c.Dy, c.G.Sub(c.Scalar(1, c.Out(0)), c.G.Mul(c.Out(0), c.Out(0))))];

        // y = σ(x): dx = dy·y·(1 − y)
        r["Sigmoid"] = c => [c.G.Mul(c.Dy, c.G.Mul(c.Out(0), c.G.Sub(c.Scalar(1, c.Out(0)), c.Out(0))))];

        // y = erf x: dx = dy·(2/√π)·exp(−x²)
        r["Erf"] = c => [c.G.Mul(c.Dy, c.G.Mul(c.Scalar(TwoOverSqrtPi, c.In(0)), c.G.Exp(c.G.Neg(c.G.Mul(c.In(0), c.In(0))))))];

        // y = max(x, 0): dx = dy where x > 0, else 0
        r["Relu"] = c => [c.G.Where(c.G.Greater(c.In(0), c.Scalar(0, c.In(0))), c.Dy, c.Scalar(0, c.In(0)))];

        // y = x if x > 0 else α·x: dx = dy where x > 0, else α·dy
        r["LeakyRelu"] = c => [c.G.Where(c.G.Greater(c.In(0), c.Scalar(0, c.In(0))), c.Dy,
            c.G.Mul(c.Dy, c.Scalar(c.Node.GetFloat("alpha", 0.01f), c.In(0))))];

        // y = ln(1 + eˣ): dx = dy·σ(x)
        r["Softplus"] = c => [c.G.Mul(c.Dy, c.G.Sigmoid(c.In(0)))];

        // y = |x|: dx = dy·sign(x)
        r["Abs"] = c => [c.G.Mul(c.Dy, c.G.Sign(c.In(0)))];

        // y = sin x: dx = dy·cos x
        r["Sin"] = c => [c.G.Mul(c.Dy, c.G.Cos(c.In(0)))];

        // y = cos x: dx = −dy·sin x
        r["Cos"] = c => [c.G.Neg(c.G.Mul(c.Dy, c.G.Sin(c.In(0))))];

        // y = clip(x, lo, hi): dx = dy where lo ≤ x ≤ hi, else 0 (bounds carry no gradient)
        r["Clip"] = Clip;

        // Piecewise-constant functions: dx = 0 almost everywhere.
        foreach (var op in new[] { "Sign", "Floor", "Ceil", "Round" }) r[op] = _ => [null];
    }

    private static string?[] Clip(RuleCall c)
    {
        if (c.Want(1) || c.Want(2)) throw RuleCall.Limit("gradients of Clip's min/max bounds are not supported");
        var g = c.G;
        string x = c.In(0);
        string? inside = null;
        if (c.Has(1)) inside = g.GreaterOrEqual(x, c.In(1));
        if (c.Has(2))
        {
            var below = g.LessOrEqual(x, c.In(2));
            inside = inside is null ? below : g.And(inside, below);
        }
        return [inside is null ? c.Dy : g.Where(inside, c.Dy, c.Scalar(0, x))];
    }
}
