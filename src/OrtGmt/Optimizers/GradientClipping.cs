using System.Numerics;
using System.Runtime.InteropServices;

namespace OrtGmt.Optimizers;

/// <summary>Gradient-norm clipping over the flat gradient buffer, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>Added to the norm before dividing, as PyTorch does, so a zero gradient is left alone.</summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>
    /// The global L2 norm of <paramref name="gradients"/>, squares accumulated in double. Not finite
    /// when any entry is NaN or infinite: the trainer checks it before masking and stepping.
    /// </summary>
    public static double GlobalNorm(ReadOnlySpan<float> gradients)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && gradients.Length >= Vector<float>.Count)
        {
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(gradients);
            foreach (var v in vectors)
            {
                Vector.Widen(v, out var lo, out var hi);
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            sum = Vector.Sum(acc0 + acc1);
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < gradients.Length; i++) sum += (double)gradients[i] * gradients[i];
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales <paramref name="gradients"/> by maxNorm/(norm + 1e-6) when that is below 1 and returns
    /// the norm before clipping (the trainer logs it). A non-finite norm leaves the gradient as it is.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradients, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        double norm = GlobalNorm(gradients);
        if (!double.IsFinite(norm)) return norm;
        double coef = maxNorm / (norm + NormEpsilon);
        if (coef < 1)
        {
            float c = (float)coef;
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradients, c, gradients);
        }
        return norm;
    }
}
