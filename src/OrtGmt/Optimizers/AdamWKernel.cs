using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrtGmt.Optimizers;

/// <summary>Per-step AdamW constants, computed in double as PyTorch does and rounded once to float.</summary>
internal readonly struct AdamWScalars
{
    public readonly float Decay, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, NegStepSize, Bc2Sqrt, Epsilon;

    public AdamWScalars(AdamWOptions o, double lr, long t)
    {
        Decay = (float)(1 - lr * o.WeightDecay);
        Beta1 = (float)o.Beta1;
        OneMinusBeta1 = (float)(1 - o.Beta1);
        Beta2 = (float)o.Beta2;
        OneMinusBeta2 = (float)(1 - o.Beta2);
        double bc1 = 1 - Math.Pow(o.Beta1, t);
        double bc2 = 1 - Math.Pow(o.Beta2, t);
        NegStepSize = (float)(-(lr / bc1));
        Bc2Sqrt = (float)Math.Sqrt(bc2);
        Epsilon = (float)o.Epsilon;
    }
}

/// <summary>
/// The fused AdamW pass over one segment, in torch.optim.AdamW's operation order:
/// θ ← θ·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + ((1−β2)·g)·g;
/// θ ← θ + (−lr/bc1)·(m / (√v / √bc2 + ε)). A masked entry (|key| &lt; T) is either left as it was
/// (freeze) or updated with g = 0 (zero-grad). No fused multiply-add, so the vector body and the
/// scalar tail round identically. Returns how many entries the mask kept, counted in the same pass.
/// </summary>
internal static class AdamWKernel
{
    public static long Run<TMode>(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        ReadOnlySpan<float> key, float threshold, in AdamWScalars s) where TMode : struct, IKeepMode
    {
        long kept = 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        ref float rk = ref MemoryMarshal.GetReference(key);
        int n = p.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var decay = new Vector<float>(s.Decay);
            var b1 = new Vector<float>(s.Beta1);
            var omb1 = new Vector<float>(s.OneMinusBeta1);
            var b2 = new Vector<float>(s.Beta2);
            var omb2 = new Vector<float>(s.OneMinusBeta2);
            var negStep = new Vector<float>(s.NegStepSize);
            var bc2Sqrt = new Vector<float>(s.Bc2Sqrt);
            var eps = new Vector<float>(s.Epsilon);
            var t = new Vector<float>(threshold);
            var keptLanes = Vector<int>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                nuint at = (nuint)i;
                var gi = Vector.LoadUnsafe(ref rg, at);
                var keep = Vector<int>.AllBitsSet;
                if (TMode.Masked)
                {
                    keep = Vector.GreaterThanOrEqual(Vector.Abs(Vector.LoadUnsafe(ref rk, at)), t);
                    keptLanes -= keep;
                    if (TMode.Freeze && keep == Vector<int>.Zero) continue;
                    if (!TMode.Freeze) gi = Vector.ConditionalSelect(keep, gi, Vector<float>.Zero);
                }
                var pi = Vector.LoadUnsafe(ref rp, at);
                var mi = Vector.LoadUnsafe(ref rm, at);
                var vi = Vector.LoadUnsafe(ref rv, at);
                var p1 = pi * decay;
                var m1 = mi * b1 + gi * omb1;
                var v1 = vi * b2 + gi * omb2 * gi;
                var denom = Vector.SquareRoot(v1) / bc2Sqrt + eps;
                var p2 = p1 + negStep * (m1 / denom);
                if (TMode.Freeze)
                {
                    p2 = Vector.ConditionalSelect(keep, p2, pi);
                    m1 = Vector.ConditionalSelect(keep, m1, mi);
                    v1 = Vector.ConditionalSelect(keep, v1, vi);
                }
                p2.StoreUnsafe(ref rp, at);
                m1.StoreUnsafe(ref rm, at);
                v1.StoreUnsafe(ref rv, at);
            }
            kept = Vector.Sum(keptLanes);
        }
        for (; i < n; i++)
        {
            if (Scalar<TMode>(ref Unsafe.Add(ref rp, i), Unsafe.Add(ref rg, i), ref Unsafe.Add(ref rm, i), ref Unsafe.Add(ref rv, i), Unsafe.Add(ref rk, i), threshold, s))
                kept++;
        }
        return TMode.Masked ? kept : n;
    }

    // One entry; true when the mask keeps it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scalar<TMode>(ref float p, float g, ref float m, ref float v, float key, float threshold, in AdamWScalars s)
        where TMode : struct, IKeepMode
    {
        bool kept = !TMode.Masked || MathF.Abs(key) >= threshold;
        if (!kept)
        {
            if (TMode.Freeze) return false;
            g = 0f;
        }
        float p1 = p * s.Decay;
        float m1 = m * s.Beta1 + g * s.OneMinusBeta1;
        float v1 = v * s.Beta2 + g * s.OneMinusBeta2 * g;
        float denom = MathF.Sqrt(v1) / s.Bc2Sqrt + s.Epsilon;
        p = p1 + s.NegStepSize * (m1 / denom);
        m = m1;
        v = v1;
        return kept;
    }
}
