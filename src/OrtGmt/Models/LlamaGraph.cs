using OrtGmt.Artifacts;
using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Models;

/// <summary>
/// Emits the forward ONNX graph of the built-in Llama-style decoder: token embedding, per layer
/// RMSNorm → grouped-query causal attention with rotary embeddings → residual → RMSNorm → SwiGLU
/// MLP → residual, then a final RMSNorm and the (optionally tied) head.
/// Inputs: <c>input_ids</c> int64 [batch, seq] and <c>attention_mask</c> int64 [batch, seq]
/// (1 = token, 0 = padding, which must be on the right). Output: <c>logits</c>
/// float [batch, seq, vocab]. Batch and sequence are dynamic up to <c>max_seq</c>.
/// </summary>
public static class LlamaGraph
{
    // exp(-1e9 - max) is exactly 0 in float32, and unlike -inf it cannot turn a fully masked row into NaN.
    private const float DisallowedScore = -1e9f;

    /// <summary>Builds the model with <paramref name="weights"/> as initializers.</summary>
    public static ModelProto Build(LlamaConfig c, IReadOnlyDictionary<string, float[]> weights)
    {
        c.Validate();
        LlamaWeights.Check(c, weights, "weights");
        var g = new GraphBuilder("llama");
        foreach (var (name, shape) in LlamaWeights.Shapes(c)) g.Initializer(Tensors.FromFloats(name, shape, weights[name]));

        var ids = g.Input(ArtifactContract.InputIds, DataType.Int64, "batch", "seq");
        // A required input, as exporters and ONNX Runtime GenAI declare it: a default value (an initializer
        // of the input's name) would make ONNX Runtime warn on every load. The training runners feed ones
        // when a batch has no attention mask.
        var attentionMask = g.Input(ArtifactContract.AttentionMask, DataType.Int64, "batch", "seq");

        var (cos, sin) = RotaryTables(g, c, ids);
        var allowed = AttentionAllowed(g, ids, attentionMask);

        var h = g.Gather(LlamaWeights.Embed, ids);
        for (int i = 0; i < c.Layers; i++)
        {
            using var _ = g.Scope($"layers.{i}");
            string p = LlamaWeights.Layer(i);
            var x = RmsNorm(g, h, p + "input_layernorm.weight", c.NormEps);
            h = g.Add(h, Attention(g, c, x, p, cos, sin, allowed));
            x = RmsNorm(g, h, p + "post_attention_layernorm.weight", c.NormEps);
            h = g.Add(h, Mlp(g, x, p));
        }
        h = RmsNorm(g, h, LlamaWeights.FinalNorm, c.NormEps);
        var logits = Linear(g, h, c.Tie ? LlamaWeights.Embed : LlamaWeights.Head);
        g.Output(logits, ArtifactContract.Logits, DataType.Float, "batch", "seq", c.Vocab);
        var model = g.ToModel();
        model.DocString = "OrtGmt built-in Llama-style decoder\n" + c.ToJson();
        return model;
    }

    /// <summary>x · Wᵀ for a weight stored [out, in]; ONNX Runtime fuses the Transpose into the MatMul.</summary>
    private static string Linear(GraphBuilder g, string x, string weight) => g.MatMul(x, g.Transpose(weight, 1, 0));

    /// <summary>RMSNorm: x / sqrt(mean(x², -1) + eps) · w.</summary>
    private static string RmsNorm(GraphBuilder g, string x, string weight, double eps)
    {
        var variance = g.ReduceMean(g.Mul(x, x), [-1]);
        var inv = g.Reciprocal(g.Sqrt(g.Add(variance, g.FloatScalar((float)eps))));
        return g.Mul(g.Mul(x, inv), weight);
    }

    /// <summary>cos/sin tables [seq, head_dim] for positions 0..seq-1, sliced from constants of max_seq rows.</summary>
    private static (string Cos, string Sin) RotaryTables(GraphBuilder g, LlamaConfig c, string ids)
    {
        int hd = c.HeadDim, half = hd / 2;
        var cos = new float[c.MaxSeq * hd];
        var sin = new float[c.MaxSeq * hd];
        for (int pos = 0; pos < c.MaxSeq; pos++)
        {
            for (int j = 0; j < half; j++)
            {
                double invFreq = 1.0 / Math.Pow(c.RopeTheta, 2.0 * j / hd);
                double angle = pos * invFreq;
                cos[pos * hd + j] = cos[pos * hd + j + half] = (float)Math.Cos(angle);
                sin[pos * hd + j] = sin[pos * hd + j + half] = (float)Math.Sin(angle);
            }
        }
        // Constants, not initializers: they must never be mistaken for trainable parameters.
        var cosTable = g.Constant(Tensors.FromFloats("rope_cos", [c.MaxSeq, hd], cos));
        var sinTable = g.Constant(Tensors.FromFloats("rope_sin", [c.MaxSeq, hd], sin));
        var seqLen = g.Shape(ids, 1, 2);
        var zero = g.Ints(0);
        return (g.Slice(cosTable, zero, seqLen, zero), g.Slice(sinTable, zero, seqLen, zero));
    }

    /// <summary>allowed[b, 1, i, j] = j ≤ i and attention_mask[b, j] ≠ 0.</summary>
    private static string AttentionAllowed(GraphBuilder g, string ids, string attentionMask)
    {
        var seqLen = g.Squeeze(g.Shape(ids, 1, 2), 0);
        var positions = g.Range(g.IntScalar(0), seqLen, g.IntScalar(1));
        var causal = g.LessOrEqual(g.Unsqueeze(positions, 0), g.Unsqueeze(positions, 1));
        var keyIsToken = g.Unsqueeze(g.Cast(attentionMask, DataType.Bool), 1, 2);
        return g.And(causal, keyIsToken);
    }

    private static string Attention(GraphBuilder g, LlamaConfig c, string x, string p, string cos, string sin, string allowed)
    {
        int hd = c.HeadDim;
        string Heads(string weight, int heads) =>
            g.Transpose(g.Reshape(Linear(g, x, p + weight), 0, 0, heads, hd), 0, 2, 1, 3);
        var q = Rope(g, Heads("self_attn.q_proj.weight", c.Heads), cos, sin, hd);
        var k = RepeatKv(g, c, Rope(g, Heads("self_attn.k_proj.weight", c.KvHeads), cos, sin, hd));
        var v = RepeatKv(g, c, Heads("self_attn.v_proj.weight", c.KvHeads));
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.FloatScalar((float)(1.0 / Math.Sqrt(hd))));
        scores = g.Where(allowed, scores, g.FloatScalar(DisallowedScore));
        var o = g.MatMul(g.Softmax(scores, -1), v);
        o = g.Reshape(g.Transpose(o, 0, 2, 1, 3), 0, 0, c.Heads * hd);
        return Linear(g, o, p + "self_attn.o_proj.weight");
    }

    /// <summary>Rotary embedding, rotate-half form: t·cos + [−t₂, t₁]·sin.</summary>
    private static string Rope(GraphBuilder g, string t, string cos, string sin, int hd)
    {
        var first = g.Slice(t, [0], [hd / 2], [3]);
        var second = g.Slice(t, [hd / 2], [hd], [3]);
        var rotated = g.Concat(3, g.Neg(second), first);
        return g.Add(g.Mul(t, cos), g.Mul(rotated, sin));
    }

    /// <summary>Repeats each key/value head heads/kv_heads times: [B, KV, S, hd] → [B, H, S, hd].</summary>
    private static string RepeatKv(GraphBuilder g, LlamaConfig c, string t)
    {
        int rep = c.Heads / c.KvHeads;
        if (rep == 1) return t;
        var expanded = g.Expand(g.Unsqueeze(t, 2), g.Ints(1, 1, rep, 1, 1));
        return g.Reshape(expanded, 0, c.Heads, -1, c.HeadDim);
    }

    private static string Mlp(GraphBuilder g, string x, string p)
    {
        var gate = Linear(g, x, p + "mlp.gate_proj.weight");
        var silu = g.Mul(gate, g.Sigmoid(gate));
        return Linear(g, g.Mul(silu, Linear(g, x, p + "mlp.up_proj.weight")), p + "mlp.down_proj.weight");
    }
}
