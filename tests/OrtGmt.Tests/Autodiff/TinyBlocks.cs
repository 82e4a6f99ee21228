using OrtGmt.Graph;
using OrtGmt.Onnx;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Tests.Autodiff;

/// <summary>Small float64 transformer blocks with the op patterns real exported models contain.</summary>
internal static class TinyBlocks
{
    public const long Vocab = 6, Model = 4, Heads = 2, KvHeads = 1, HeadDim = 2;

    public static long[] Ids(long batch, long seq) => Enumerable.Range(0, (int)(batch * seq)).Select(i => (long)((i * 5 + 1) % Vocab)).ToArray();

    /// <summary>
    /// A Llama-style block with symbolic batch/seq: embedding Gather, RMSNorm (Pow/ReduceMean/Add/Sqrt/Div),
    /// [out,in] weights through Transpose, shape subgraphs (Shape→Gather→Unsqueeze→Concat→Reshape), RoPE with
    /// cos/sin from Range positions and Slice/Neg/Concat, repeat_kv with Expand+Reshape, a causal mask from
    /// ConstantOfShape→Trilu→Equal→Where, Softmax, SiLU via Sigmoid·Mul, and a tied output projection.
    /// With <paramref name="builtInStyle"/> it takes the built-in family's forms instead: RMSNorm as
    /// Mul/ReduceMean/Add/Sqrt/Reciprocal and cos/sin as constant tables sliced to the sequence length.
    /// Returns the parameter names.
    /// </summary>
    public static string[] Llama(GradCheck c, long batch, long seq, bool builtInStyle = false)
    {
        var g = c.G;
        var ids = c.Long("ids", [batch, seq], Ids(batch, seq), declared: ["batch", "seq"]);
        var emb = c.Double("emb", [Vocab, Model]);
        var normW = c.Double("norm_w", [Model], 0.5, 1.5);
        var wq = c.Double("wq", [Heads * HeadDim, Model]);
        var wk = c.Double("wk", [KvHeads * HeadDim, Model]);
        var wv = c.Double("wv", [Model, KvHeads * HeadDim]);
        var wo = c.Double("wo", [Model, Model]);
        string D(double v) => g.Scalar(v, DataType.Double);

        var h = g.Gather(emb, ids);
        var hn = builtInStyle
            ? g.Mul(g.Mul(h, g.Reciprocal(g.Sqrt(g.Add(g.ReduceMean(g.Mul(h, h), [-1]), D(1e-6))))), normW)
            : g.Mul(normW, g.Div(h, g.Sqrt(g.Add(g.ReduceMean(g.Pow(h, D(2)), [-1]), D(1e-6)))));

        var shape = g.Shape(h);
        var b = g.Unsqueeze(g.Gather(shape, g.IntScalar(0)), 0);
        var s = g.Unsqueeze(g.Gather(shape, g.IntScalar(1)), 0);
        string Heads4(string x, long heads) => g.Transpose(g.Reshape(x, g.Concat(0, b, s, g.Ints(heads, HeadDim))), 0, 2, 1, 3);
        var q = Heads4(g.MatMul(hn, g.Transpose(wq, 1, 0)), Heads);
        var k = Heads4(g.MatMul(hn, g.Transpose(wk, 1, 0)), KvHeads);
        var v = Heads4(g.MatMul(hn, wv), KvHeads);

        // RoPE: angles from positions (a constant/shape path), rotate-half with Slice/Neg/Concat.
        var positions = g.Cast(g.Range(g.IntScalar(0), g.Squeeze(s, 0), g.IntScalar(1)), DataType.Double);
        var angles = g.Mul(g.Unsqueeze(positions, 1), g.Constant(Tensors.FromDoubles("inv_freq", [1, HeadDim / 2], [0.7])));
        var full = g.Concat(-1, angles, angles);
        var cos = g.Cos(full);
        var sin = g.Sin(full);
        if (builtInStyle)
        {
            const int MaxSeq = 8;
            var table = Enumerable.Range(0, MaxSeq * (int)HeadDim).Select(i => 0.7 * (i / HeadDim)).ToArray();
            cos = g.Slice(g.Constant(Tensors.FromDoubles("cos", [MaxSeq, HeadDim], table.Select(Math.Cos).ToArray())), g.Ints(0), s, g.Ints(0));
            sin = g.Slice(g.Constant(Tensors.FromDoubles("sin", [MaxSeq, HeadDim], table.Select(Math.Sin).ToArray())), g.Ints(0), s, g.Ints(0));
        }
        string Rope(string x)
        {
            var x1 = g.Slice(x, [0], [HeadDim / 2], [-1]);
            var x2 = g.Slice(x, [HeadDim / 2], [long.MaxValue], [-1]);
            return g.Add(g.Mul(x, cos), g.Mul(g.Concat(-1, g.Neg(x2), x1), sin));
        }
        q = Rope(q);
        k = Rope(k);

        // repeat_kv: [b, kv, s, d] → [b, kv, rep, s, d] → [b, kv·rep, s, d].
        string Repeat(string x)
        {
            var expanded = g.Expand(g.Unsqueeze(x, 2), g.Concat(0, b, g.Ints(KvHeads, Heads / KvHeads), s, g.Ints(HeadDim)));
            return g.Reshape(expanded, g.Concat(0, b, g.Ints(Heads), s, g.Ints(HeadDim)));
        }
        k = Repeat(k);
        v = Repeat(v);

        var scores = g.Div(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), D(Math.Sqrt(HeadDim)));
        var ones = g.ConstantOfShape(g.Concat(0, s, s), 1, DataType.Int64);
        var causal = g.Equal(g.Trilu(ones, upper: false), g.Ints(1));
        var masked = g.Where(causal, scores, D(-1e9));
        var attn = g.MatMul(g.Softmax(masked, -1), v);
        var merged = g.Reshape(g.Transpose(attn, 0, 2, 1, 3), g.Concat(0, b, s, g.Ints(Model)));
        var h2 = g.Add(h, g.MatMul(merged, g.Transpose(wo, 1, 0)));
        var silu = g.Mul(h2, g.Sigmoid(h2));
        c.Output(g.MatMul(silu, g.Transpose(emb, 1, 0)));
        return [emb, normW, wq, wk, wv, wo];
    }

    /// <summary>
    /// A GPT-2-style block: learned positions via Gather, LayerNormalization, Gemm (addmm) on flattened rows,
    /// Split into q/k/v, tanh-GELU with Pow 3, and an Erf-free path so it runs in float64.
    /// </summary>
    public static string[] Gpt2(GradCheck c, long batch, long seq)
    {
        var g = c.G;
        var ids = c.Long("ids", [batch, seq], Ids(batch, seq), declared: ["batch", "seq"]);
        var wte = c.Double("wte", [Vocab, Model]);
        var wpe = c.Double("wpe", [8, Model]);
        var lnW = c.Double("ln_w", [Model], 0.5, 1.5);
        var lnB = c.Double("ln_b", [Model]);
        var wAttn = c.Double("c_attn_w", [Model, 3 * Model]);
        var bAttn = c.Double("c_attn_b", [3 * Model]);
        string D(double v) => g.Scalar(v, DataType.Double);

        var s = g.Shape(ids, 1, 2);
        var pos = g.Range(g.IntScalar(0), g.Squeeze(s, 0), g.IntScalar(1));
        var h = g.Add(g.Gather(wte, ids), g.Gather(wpe, g.Unsqueeze(pos, 0)));
        var ln = g.Node("LayerNormalization", [h, lnW, lnB], 1, Attr.Int("axis", -1), Attr.Float("epsilon", 1e-5f))[0];
        var rows = g.Reshape(ln, -1, Model);
        var qkv = g.Gemm(rows, wAttn, bAttn);
        var parts = g.Split(qkv, 1, 3, g.Ints(Model, Model, Model));
        var mixed = g.Add(g.Mul(parts[0], parts[1]), parts[2]);
        // tanh GELU: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        var inner = g.Mul(D(Math.Sqrt(2 / Math.PI)), g.Add(mixed, g.Mul(D(0.044715), g.Pow(mixed, D(3)))));
        var gelu = g.Mul(g.Mul(D(0.5), mixed), g.Add(D(1), g.Tanh(inner)));
        var back = g.Reshape(gelu, g.Concat(0, g.Shape(ids), g.Ints(Model)));
        c.Output(g.MatMul(g.Add(h, back), g.Transpose(wte, 1, 0)));
        return [wte, wpe, lnW, lnB, wAttn, bAttn];
    }
}
