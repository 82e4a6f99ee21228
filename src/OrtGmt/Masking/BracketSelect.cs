using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrtGmt.Masking;

/// <summary>
/// A shortcut in front of the radix select for large inputs: a strided sample of the keys
/// brackets the k-th largest between two keys (a few standard deviations of sampling error either
/// side), one vectorised pass counts the keys above the bracket and gathers those inside it, and
/// the rank is then found among the gathered few. The count check makes it exact whatever the
/// data: when the bracket misses the k-th key, or too many keys fall inside it (heavy ties), the
/// caller runs the full radix select instead.
/// </summary>
internal sealed class BracketSelect
{
    /// <summary>Inputs shorter than this go straight to the radix select.</summary>
    internal const int MinLength = 1 << 20;

    private const int SampleSize = 1 << 17;
    private const double Sigmas = 4;
    private const int MinSlack = 2;
    private const int CandidateShare = 16;

    private readonly uint[] _sample = new uint[SampleSize];
    private uint[] _candidates = [];

    /// <summary>
    /// Narrows the search for the <paramref name="keep"/>-th largest key to the returned candidates,
    /// at rank <paramref name="rank"/> among them; false when the caller must select over all keys.
    /// </summary>
    public bool TryNarrow(ReadOnlySpan<uint> bits, long keep, out ReadOnlySpan<uint> candidates, out long rank)
    {
        candidates = default;
        rank = 0;
        int n = bits.Length;
        int stride = n / SampleSize;
        for (int j = 0; j < SampleSize; j++) _sample[j] = bits[j * stride] & ThresholdSelector.AbsMask;
        double q = (double)keep / n;
        double expected = q * SampleSize;
        double slack = Sigmas * Math.Sqrt(SampleSize * q * (1 - q)) + MinSlack;
        long rankHi = (long)Math.Floor(expected - slack), rankLo = (long)Math.Ceiling(expected + slack);
        uint hi = rankHi < 1 ? uint.MaxValue : KeySelect.FromTop(_sample, rankHi);
        uint lo = rankLo > SampleSize ? 0 : KeySelect.FromTop(_sample, rankLo);

        int capacity = Math.Max(ThresholdSelector.SmallCount, n / CandidateShare);
        if (_candidates.Length < capacity) _candidates = new uint[capacity];
        if (!Gather(bits, lo, hi, _candidates.AsSpan(0, capacity), out long above, out int found)) return false;
        if (above >= keep || above + found < keep) return false;
        candidates = _candidates.AsSpan(0, found);
        rank = keep - above;
        return true;
    }

    // Counts keys above hi and copies keys in [lo, hi] into `into`; false when they do not fit.
    private static bool Gather(ReadOnlySpan<uint> bits, uint lo, uint hi, Span<uint> into, out long above, out int found)
    {
        found = 0;
        above = 0;
        int i = 0;
        ref uint first = ref MemoryMarshal.GetReference(bits);
        if (Vector256.IsHardwareAccelerated)
        {
            int width = Vector256<uint>.Count;
            var abs = Vector256.Create(ThresholdSelector.AbsMask);
            var loV = Vector256.Create(lo);
            var hiV = Vector256.Create(hi);
            var aboveLanes = Vector256<uint>.Zero;
            for (; i <= bits.Length - width; i += width)
            {
                var key = Vector256.LoadUnsafe(ref first, (nuint)i) & abs;
                aboveLanes -= Vector256.GreaterThan(key, hiV);
                uint inside = (Vector256.GreaterThanOrEqual(key, loV) & Vector256.LessThanOrEqual(key, hiV)).ExtractMostSignificantBits();
                if (inside == 0) continue;
                if (found + width > into.Length) return false;
                // Only the lanes inside are read back, straight from the (cached) input.
                do
                {
                    int lane = BitOperations.TrailingZeroCount(inside);
                    into[found++] = Unsafe.Add(ref first, i + lane) & ThresholdSelector.AbsMask;
                    inside &= inside - 1;
                }
                while (inside != 0);
            }
            above = (long)Vector256.Sum(Vector256.WidenLower(aboveLanes) + Vector256.WidenUpper(aboveLanes));
        }
        for (; i < bits.Length; i++)
        {
            uint key = Unsafe.Add(ref first, i) & ThresholdSelector.AbsMask;
            if (key > hi) above++;
            else if (key >= lo)
            {
                if (found == into.Length) return false;
                into[found++] = key;
            }
        }
        return true;
    }
}
