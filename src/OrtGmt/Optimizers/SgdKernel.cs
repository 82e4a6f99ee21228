using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrtGmt.Optimizers;

/// <summary>
/// The fused SGD-with-momentum pass over one segment, in torch.optim.SGD's order:
/// g ← g + wd·θ; buf ← μ·buf + g; θ ← θ + (−lr)·buf. Masked entries are frozen or get g = 0
/// (before weight decay, as a zeroed gradient would). Returns how many entries the mask kept,
/// counted in the same pass.
/// </summary>
internal static class SgdKernel
{
    public static long Run<TMode>(Span<float> p, ReadOnlySpan<float> g, Span<float> buf,
        ReadOnlySpan<float> key, float threshold, float weightDecay, float momentum, float negLr) where TMode : struct, IKeepMode
    {
        long kept = 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rb = ref MemoryMarshal.GetReference(buf);
        ref float rk = ref MemoryMarshal.GetReference(key);
        int n = p.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var wd = new Vector<float>(weightDecay);
            var mu = new Vector<float>(momentum);
            var lr = new Vector<float>(negLr);
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
                var bi = Vector.LoadUnsafe(ref rb, at);
                var d = gi + wd * pi;
                var b1 = bi * mu + d;
                var p1 = pi + lr * b1;
                if (TMode.Freeze)
                {
                    p1 = Vector.ConditionalSelect(keep, p1, pi);
                    b1 = Vector.ConditionalSelect(keep, b1, bi);
                }
                p1.StoreUnsafe(ref rp, at);
                b1.StoreUnsafe(ref rb, at);
            }
            kept = Vector.Sum(keptLanes);
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref rg, i);
            if (TMode.Masked && !(MathF.Abs(Unsafe.Add(ref rk, i)) >= threshold))
            {
                if (TMode.Freeze) continue;
                gi = 0f;
            }
            else kept++;
            ref float pi = ref Unsafe.Add(ref rp, i);
            ref float bi = ref Unsafe.Add(ref rb, i);
            float d = gi + weightDecay * pi;
            bi = bi * momentum + d;
            pi += negLr * bi;
        }
        return TMode.Masked ? kept : n;
    }
}
