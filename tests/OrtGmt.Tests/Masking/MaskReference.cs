using OrtGmt.Masking;
using OrtGmt.Randomness;

namespace OrtGmt.Tests.Masking;

/// <summary>Sort-based reference for the top-k threshold and kept set, and test data makers.</summary>
internal static class MaskReference
{
    /// <summary>The k-th largest |x| by sorting.</summary>
    public static float Threshold(ReadOnlySpan<float> values, long keep)
    {
        var abs = values.ToArray().Select(MathF.Abs).ToArray();
        Array.Sort(abs);
        Array.Reverse(abs);
        return abs[keep - 1];
    }

    /// <summary>Indices with |x| ≥ the sort-based threshold.</summary>
    public static bool[] Kept(ReadOnlySpan<float> values, long keep)
    {
        float t = Threshold(values, keep);
        var kept = new bool[values.Length];
        for (int i = 0; i < values.Length; i++) kept[i] = MathF.Abs(values[i]) >= t;
        return kept;
    }

    /// <summary>The entries of each segment <paramref name="plan"/> keeps for <paramref name="gradients"/>, as its boolean-mask writer counts them.</summary>
    public static long[] KeptPerSegment(GradientMask plan, float[] gradients)
    {
        var kept = new long[plan.Layout.Count];
        plan.WriteBooleans(gradients, new bool[gradients.Length], kept);
        return kept;
    }

    public static float[] Gaussian(int n, ulong seed, float scale = 1e-3f)
    {
        var rng = new Rng(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)rng.NextGaussian() * scale;
        return x;
    }

    /// <summary>Values from a handful of levels, both signs: many ties everywhere, including at the threshold.</summary>
    public static float[] Ties(int n, ulong seed)
    {
        var rng = new Rng(seed);
        float[] levels = [0f, 1e-4f, 2.5e-3f, 0.5f, 3f];
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = levels[rng.NextInt(levels.Length)] * (rng.NextDouble() < 0.5 ? -1 : 1);
        return x;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (double r in new[] { 0.0, 0.1, 0.3, 0.5, 0.9, 0.99 })
        {
            yield return new TestCaseData("gaussian", 1000, r);
            yield return new TestCaseData("gaussian", 37, r);
            yield return new TestCaseData("ties", 999, r);
            yield return new TestCaseData("equal", 100, r);
            yield return new TestCaseData("zero", 64, r);
            yield return new TestCaseData("wide", 513, r);
            // Past the direct-selection size: histogram passes, with a small bucket (gaussian), a
            // bucket over the small size (equal), and both kinds among the tie levels.
            yield return new TestCaseData("gaussian", 5000, r);
            yield return new TestCaseData("equal", 5000, r);
            yield return new TestCaseData("ties", 30000, r);
        }
    }

    public static float[] Make(string kind, int n, ulong seed) => kind switch
    {
        "gaussian" => Gaussian(n, seed),
        "ties" => Ties(n, seed),
        "equal" => Enumerable.Repeat(-0.25f, n).ToArray(),
        "zero" => Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0f : -0f).ToArray(),
        // Subnormals up to large magnitudes: exercises every exponent range of the radix keys.
        "wide" => Gaussian(n, seed).Select((v, i) => v * MathF.Pow(2, (i % 60) - 130)).ToArray(),
        _ => throw new ArgumentException(kind),
    };
}
