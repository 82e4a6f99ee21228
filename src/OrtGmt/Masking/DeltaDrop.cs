using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Masking;

/// <summary>Which delta entries One-off Drop resets to their pretrained values.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum DropStrategy
{
    /// <summary>The r share with the smallest |Δ| (One-off Drop as the GMT paper defines it).</summary>
    [JsonStringEnumMemberName("trivial")] Trivial,

    /// <summary>An r share chosen uniformly at random, by seed.</summary>
    [JsonStringEnumMemberName("random")] Random,

    /// <summary>The r share with the largest |Δ| (the drop-strategy analysis' counterpoint).</summary>
    [JsonStringEnumMemberName("salient")] Salient,
}

/// <summary>
/// One-off Drop: after fine-tuning, reset a share r of the delta Δ = θ_ft − θ_pre to zero, i.e.
/// set those entries back to θ_pre. Exactly floor(r·n) entries are dropped (the count
/// <see cref="MaskMath.MaskedCount"/> gives); entries tied at the cut are taken in index order,
/// so the count is exact even when many deltas are equal (e.g. zero).
/// </summary>
public static class DeltaDrop
{
    /// <summary>
    /// Writes into <paramref name="result"/> the tuned values with the chosen share of deltas
    /// dropped; returns how many entries were reset. <paramref name="rng"/> is used by
    /// <see cref="DropStrategy.Random"/> only.
    /// </summary>
    public static long Apply(ReadOnlySpan<float> pretrained, ReadOnlySpan<float> tuned, Span<float> result,
        double ratio, DropStrategy strategy, Rng rng, ThresholdSelector? selector = null)
    {
        if (pretrained.Length != tuned.Length || tuned.Length != result.Length)
            throw new ArgumentException($"lengths differ: pretrained {pretrained.Length}, tuned {tuned.Length}, result {result.Length}");
        MaskMath.ValidateRatio(ratio);
        int n = tuned.Length;
        if (n == 0) return 0;
        long drop = MaskMath.MaskedCount(n, ratio);
        if (drop == 0)
        {
            tuned.CopyTo(result);
            return 0;
        }
        if (strategy == DropStrategy.Random)
        {
            long remaining = n, left = drop;
            for (int i = 0; i < n; i++, remaining--)
            {
                bool d = left > 0 && rng.NextDouble() * remaining < left;
                if (d) left--;
                result[i] = d ? pretrained[i] : tuned[i];
            }
            return drop;
        }
        // result holds Δ while the cut is found, then the final values.
        for (int i = 0; i < n; i++) result[i] = tuned[i] - pretrained[i];
        // Trivial keeps the n − drop largest |Δ|; salient drops the `drop` largest.
        long top = strategy == DropStrategy.Trivial ? n - drop : drop;
        bool topIsDropped = strategy == DropStrategy.Salient;
        var own = selector is null ? new ThresholdSelector() : null;
        float cut;
        try { cut = (selector ?? own!).Select(result, top); }
        finally { own?.Dispose(); }
        long above = 0;
        for (int i = 0; i < n; i++) if (MathF.Abs(result[i]) > cut) above++;
        long tiesInTop = top - above;
        long dropped = 0;
        for (int i = 0; i < n; i++)
        {
            float a = MathF.Abs(result[i]);
            bool inTop = a > cut || (a == cut && tiesInTop-- > 0);
            bool d = inTop == topIsDropped;
            if (d) dropped++;
            result[i] = d ? pretrained[i] : tuned[i];
        }
        return dropped;
    }

    /// <summary>
    /// One-off Drop over named tensors (all trainable parameters): per tensor by default, or one
    /// cut over all of them with <see cref="MaskScope.Global"/>. Random drops draw from
    /// <c>Rng.ForStream(seed, "drop")</c> in list order. Returns the dropped tensors and the count.
    /// </summary>
    public static (IReadOnlyList<float[]> Dropped, long Count) ApplyAll(IReadOnlyList<float[]> pretrained, IReadOnlyList<float[]> tuned,
        double ratio, DropStrategy strategy, MaskScope scope, ulong seed)
    {
        if (pretrained.Count != tuned.Count) throw new OrtGmtException($"{pretrained.Count} pretrained tensors but {tuned.Count} tuned ones");
        var rng = Rng.ForStream(seed, "drop");
        using var selector = new ThresholdSelector();
        var outputs = new float[tuned.Count][];
        long count = 0;
        if (scope == MaskScope.Tensor)
        {
            for (int t = 0; t < tuned.Count; t++)
            {
                outputs[t] = new float[tuned[t].Length];
                count += Apply(pretrained[t], tuned[t], outputs[t], ratio, strategy, rng, selector);
            }
            return (outputs, count);
        }
        var flatPre = pretrained.SelectMany(x => x).ToArray();
        var flatTuned = tuned.SelectMany(x => x).ToArray();
        var flatOut = new float[flatTuned.Length];
        count = Apply(flatPre, flatTuned, flatOut, ratio, strategy, rng, selector);
        int offset = 0;
        for (int t = 0; t < tuned.Count; t++)
        {
            outputs[t] = flatOut.AsSpan(offset, tuned[t].Length).ToArray();
            offset += tuned[t].Length;
        }
        return (outputs, count);
    }
}
