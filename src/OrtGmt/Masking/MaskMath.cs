using OrtGmt.Errors;

namespace OrtGmt.Masking;

/// <summary>
/// The one definition of how many entries a mask ratio keeps, shared by the host selector, the
/// graph builders' callers and the tests, so that every path keeps the same count.
/// </summary>
public static class MaskMath
{
    // r·n is computed in double; a product like 0.3·10 lands at 2.9999999999999996, which a plain
    // floor would turn into 2. The nudge is far below one entry for any buffer that fits in memory.
    private const double FloorNudge = 1e-9;

    /// <summary>
    /// Entries kept in a segment of <paramref name="n"/> entries at mask ratio
    /// <paramref name="ratio"/>: masked m = floor(r·n), kept k = n − m, and never less than one.
    /// </summary>
    /// <exception cref="ConfigException">The ratio is outside [0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public static long KeepCount(long n, double ratio)
    {
        ValidateRatio(ratio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return n - MaskedCount(n, ratio);
    }

    /// <summary>Entries masked in a segment of <paramref name="n"/> entries: floor(r·n), at most n − 1.</summary>
    public static long MaskedCount(long n, double ratio)
    {
        ValidateRatio(ratio);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        long m = (long)Math.Floor(ratio * n + FloorNudge);
        return Math.Clamp(m, 0, n - 1);
    }

    /// <summary>Throws a <see cref="ConfigException"/> naming <c>mask_ratio</c> unless 0 ≤ r &lt; 1.</summary>
    public static void ValidateRatio(double ratio)
    {
        if (!(ratio >= 0 && ratio < 1))
            throw new ConfigException("mask_ratio", $"must be in [0, 1), got {ratio}");
    }
}
