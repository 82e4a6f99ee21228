using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Models;

/// <summary>
/// Parameter names and shapes of the built-in Llama family, in the Hugging Face layout
/// (linear weights [out, in]), so checkpoints map one-to-one onto Hugging Face Llama names.
/// </summary>
public static class LlamaWeights
{
    /// <summary>Token embedding [vocab, d_model].</summary>
    public const string Embed = "model.embed_tokens.weight";

    /// <summary>Final RMSNorm scale [d_model].</summary>
    public const string FinalNorm = "model.norm.weight";

    /// <summary>Untied output head [vocab, d_model].</summary>
    public const string Head = "lm_head.weight";

    /// <summary>Prefix of layer <paramref name="i"/>'s parameters.</summary>
    public static string Layer(int i) => $"model.layers.{i}.";

    /// <summary>Every parameter with its shape, in graph order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Shapes(LlamaConfig c)
    {
        long d = c.DModel, hd = c.HeadDim;
        var list = new List<(string, long[])> { (Embed, [c.Vocab, d]) };
        for (int i = 0; i < c.Layers; i++)
        {
            string p = Layer(i);
            list.Add((p + "input_layernorm.weight", [d]));
            list.Add((p + "self_attn.q_proj.weight", [c.Heads * hd, d]));
            list.Add((p + "self_attn.k_proj.weight", [c.KvHeads * hd, d]));
            list.Add((p + "self_attn.v_proj.weight", [c.KvHeads * hd, d]));
            list.Add((p + "self_attn.o_proj.weight", [d, c.Heads * hd]));
            list.Add((p + "post_attention_layernorm.weight", [d]));
            list.Add((p + "mlp.gate_proj.weight", [c.Ffn, d]));
            list.Add((p + "mlp.up_proj.weight", [c.Ffn, d]));
            list.Add((p + "mlp.down_proj.weight", [d, c.Ffn]));
        }
        list.Add((FinalNorm, [d]));
        if (!c.Tie) list.Add((Head, [c.Vocab, d]));
        return list;
    }

    /// <summary>
    /// Deterministic initial weights from <see cref="LlamaConfig.Seed"/>: normal(0, init_std) for
    /// matrices and the embedding, ones for norm scales.
    /// </summary>
    public static Dictionary<string, float[]> Initialize(LlamaConfig c)
    {
        var rng = Rng.ForStream(c.Seed, "llama-init");
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in Shapes(c))
        {
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            if (shape.Length == 1) Array.Fill(values, 1f);
            else for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextGaussian() * c.InitStd);
            weights[name] = values;
        }
        return weights;
    }

    /// <summary>Checks that <paramref name="weights"/> holds exactly the parameters of <paramref name="c"/>, with the right sizes.</summary>
    public static void Check(LlamaConfig c, IReadOnlyDictionary<string, float[]> weights, string source)
    {
        var shapes = Shapes(c);
        foreach (var (name, shape) in shapes)
        {
            if (!weights.TryGetValue(name, out var w))
                throw new OrtGmtException($"{source}: missing weight '{name}'");
            long n = shape.Aggregate(1L, (a, b) => a * b);
            if (w.Length != n)
                throw new OrtGmtException($"{source}: weight '{name}' has {w.Length} values, expected {n} for shape [{string.Join(", ", shape)}]");
        }
        var known = shapes.Select(s => s.Name).ToHashSet();
        var extra = weights.Keys.Where(k => !known.Contains(k)).ToList();
        if (extra.Count > 0) throw new OrtGmtException($"{source}: unexpected weights for this config: {string.Join(", ", extra.Take(5))}");
    }
}
