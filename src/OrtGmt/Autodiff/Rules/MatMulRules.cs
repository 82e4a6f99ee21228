using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>MatMul (numpy semantics: batched, broadcasting, rank-1 operands) and Gemm.</summary>
internal static class MatMulRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY (batch axes summed back where broadcast)
        r["MatMul"] = MatMul;

        // Y = α·op(A)·op(B) + β·C: d op(A) = α·dY·op(B)ᵀ, d op(B) = α·op(A)ᵀ·dY, dC = β·dY (summed back)
        r["Gemm"] = Gemm;
    }

    private static string?[] MatMul(RuleCall c)
    {
        var g = c.G;
        string a = c.In(0), b = c.In(1);
        var ta = c.TypeOf(a);
        var tb = c.TypeOf(b);
        int ra = c.Rank(a), rb = c.Rank(b);
        // Promote rank-1 operands to matrices, as numpy does, and shape dY accordingly.
        string a2 = ra == 1 ? g.Unsqueeze(a, 0) : a;
        string b2 = rb == 1 ? g.Unsqueeze(b, 1) : b;
        Dim[] aDims = ra == 1 ? [Dim.Of(1), ta.Dims![0]] : ta.Dims!;
        Dim[] bDims = rb == 1 ? [tb.Dims![0], Dim.Of(1)] : tb.Dims!;
        var batch = TensorType.Broadcast([aDims[..^2], bDims[..^2]])!;
        string dy = c.Dy;
        if (ra == 1 && rb == 1) dy = g.Unsqueeze(dy, -2, -1);
        else if (ra == 1) dy = g.Unsqueeze(dy, -2);
        else if (rb == 1) dy = g.Unsqueeze(dy, -1);

        string?[] grads = new string?[2];
        grads[0] = c.For(0, () =>
        {
            string da = g.MatMul(dy, SwapLast(g, b2, bDims.Length));
            da = c.Ctx.ReduceTo(da, new TensorType(ta.Elem, [.. batch, .. aDims[^2..]]), a2, new TensorType(ta.Elem, aDims));
            return ra == 1 ? g.Reshape(da, g.Shape(a)) : da;
        });
        grads[1] = c.For(1, () =>
        {
            string db;
            if (bDims.Length == 2 && aDims.Length > 2)
            {
                // A weight shared by a batched product: fold the batch into rows and make one matrix product.
                var rows = g.Reshape(a2, g.Concat(0, g.Ints(-1), c.Ctx.DimAt(a, -1)));
                var dyRows = g.Reshape(dy, g.Concat(0, g.Ints(-1), c.Ctx.DimAt(b2, -1)));
                db = g.Gemm(rows, dyRows, transA: true);
            }
            else
            {
                db = g.MatMul(SwapLast(g, a2, aDims.Length), dy);
                db = c.Ctx.ReduceTo(db, new TensorType(tb.Elem, [.. batch, .. bDims[^2..]]), b2, new TensorType(tb.Elem, bDims));
            }
            return rb == 1 ? g.Reshape(db, g.Shape(b)) : db;
        });
        return grads;
    }

    private static string SwapLast(GraphBuilder g, string x, int rank)
    {
        var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 1], perm[rank - 2]) = (perm[rank - 2], perm[rank - 1]);
        return g.Transpose(x, perm);
    }

    private static string?[] Gemm(RuleCall c)
    {
        var g = c.G;
        string a = c.In(0), b = c.In(1), dy = c.Dy;
        float alpha = c.Node.GetFloat("alpha", 1f), beta = c.Node.GetFloat("beta", 1f);
        bool ta = c.Node.GetInt("transA", 0) != 0, tb = c.Node.GetInt("transB", 0) != 0;
        return
        [
            c.For(0, () => ta ? g.Gemm(b, dy, alpha: alpha, transA: tb, transB: true) : g.Gemm(dy, b, alpha: alpha, transB: !tb)),
            c.For(1, () => tb ? g.Gemm(dy, a, alpha: alpha, transA: true, transB: ta) : g.Gemm(a, dy, alpha: alpha, transA: !ta)),
            c.Has(2) ? c.ForBroadcast(2, () => beta == 1f ? dy : g.Mul(dy, c.Scalar(beta, dy))) : null,
        ];
    }
}
