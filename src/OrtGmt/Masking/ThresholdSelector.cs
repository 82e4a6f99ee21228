using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrtGmt.Masking;

/// <summary>
/// Exact top-k threshold of |x| in O(n): a radix select on the float bits. With the sign bit
/// cleared, the bit patterns of non-negative floats order exactly like the floats, so the k-th
/// largest |x| is found with two histogram passes — the upper 15 bits of the 31-bit key pick the
/// bucket holding the k-th entry, then the lower 16 bits of the entries in that bucket pin it.
/// Large inputs first try a sampled bracket (<see cref="BracketSelect"/>) that needs one
/// vectorised pass instead of two; small inputs and small buckets are selected directly.
/// The histograms are allocated once; selecting allocates nothing.
/// </summary>
/// <remarks>
/// Gradients must be finite. A NaN's key (sign cleared) ranks above +∞, so NaNs count among the
/// largest entries here, yet a float comparison <c>|x| ≥ T</c> is false for them, and when the
/// k-th entry is itself a NaN the threshold returned is a NaN that keeps nothing. The trainer
/// checks <see cref="Optimizers.GradientClipping.GlobalNorm"/> is finite before masking.
/// One instance is not safe for concurrent use. A selector made with more than one thread owns
/// background threads until disposed.
/// </remarks>
public sealed class ThresholdSelector : IDisposable
{
    internal const int LowBits = 16;
    internal const int HighBuckets = 1 << (31 - LowBits);
    internal const int LowBuckets = 1 << LowBits;
    internal const uint AbsMask = 0x7FFF_FFFF;

    /// <summary>Segments and buckets up to this size are selected directly, without a histogram.</summary>
    internal const int SmallCount = 4096;

    private readonly int[] _high = new int[HighBuckets];
    private readonly int[] _low = new int[LowBuckets];
    private readonly uint[] _scratch = new uint[SmallCount];
    private readonly ParallelHistograms? _parallel;
    private readonly BracketSelect _bracket = new();

    /// <summary>
    /// A selector; with <paramref name="threads"/> &gt; 1 the radix histogram passes over large inputs
    /// (taken when the sampled bracket gives up) are split over that many threads.
    /// </summary>
    public ThresholdSelector(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (threads > 1) _parallel = new ParallelHistograms(threads);
    }

    /// <summary>Stops the worker threads of a multi-threaded selector (nothing to do for one thread).</summary>
    public void Dispose() => _parallel?.Dispose();

    /// <summary>Threads the radix histogram passes use for large inputs.</summary>
    public int Threads => _parallel?.Threads ?? 1;

    /// <summary>
    /// T = the <paramref name="keep"/>-th largest |x| of <paramref name="values"/>; keeping every entry
    /// with |x| ≥ T keeps at least <paramref name="keep"/> entries (more when entries tie at T).
    /// Returns 0 when every entry is kept (<paramref name="keep"/> = n), so an all-zero input keeps all.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> is not in [1, n].</exception>
    public float Select(ReadOnlySpan<float> values, long keep)
    {
        if (keep < 1 || keep > values.Length)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"must be in [1, {values.Length}]");
        if (keep == values.Length) return 0f;
        var bits = MemoryMarshal.Cast<float, uint>(values);
        if (bits.Length >= BracketSelect.MinLength && _bracket.TryNarrow(bits, keep, out var candidates, out long rank))
            return BitConverter.UInt32BitsToSingle(SelectKey(candidates, rank));
        return BitConverter.UInt32BitsToSingle(SelectKey(bits, keep));
    }

    // The keep-th largest key (float bits with the sign cleared) of `bits`, 1 ≤ keep ≤ length.
    private uint SelectKey(ReadOnlySpan<uint> bits, long keep)
    {
        if (bits.Length <= SmallCount)
        {
            var keys = _scratch.AsSpan(0, bits.Length);
            for (int i = 0; i < keys.Length; i++) keys[i] = bits[i] & AbsMask;
            return KeySelect.FromTop(keys, keep);
        }
        bool parallel = _parallel is not null && bits.Length >= ParallelHistograms.MinLength;

        if (parallel) _parallel!.CountHigh(bits, _high);
        else
        {
            Array.Clear(_high);
            CountHigh(bits, _high);
        }
        int bucket = FindFromTop(_high, keep, out long rankInBucket);

        int inBucket = _high[bucket];
        if (!parallel && inBucket <= SmallCount)
        {
            var keys = _scratch.AsSpan(0, inBucket);
            GatherBucket(bits, (uint)bucket, keys);
            return KeySelect.FromTop(keys, rankInBucket);
        }
        if (parallel) _parallel!.CountLow(bits, (uint)bucket, _low);
        else
        {
            Array.Clear(_low);
            CountLow(bits, (uint)bucket, _low);
        }
        int low = FindFromTop(_low, rankInBucket, out _);
        return ((uint)bucket << LowBits) | (uint)low;
    }

    /// <summary>Copies the keys whose upper bits equal <paramref name="bucket"/> into <paramref name="into"/> (sized to their count).</summary>
    private static void GatherBucket(ReadOnlySpan<uint> bits, uint bucket, Span<uint> into)
    {
        int found = 0, i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<uint>.Count)
        {
            var vectors = MemoryMarshal.Cast<uint, Vector<uint>>(bits);
            var abs = new Vector<uint>(AbsMask);
            var want = new Vector<uint>(bucket);
            for (int v = 0; v < vectors.Length; v++)
            {
                var key = vectors[v] & abs;
                if (Vector.EqualsAny(Vector.ShiftRightLogical(key, LowBits), want))
                {
                    for (int lane = 0; lane < Vector<uint>.Count; lane++)
                        if (key[lane] >> LowBits == bucket) into[found++] = key[lane];
                }
            }
            i = vectors.Length * Vector<uint>.Count;
        }
        for (; i < bits.Length; i++)
        {
            uint k = bits[i] & AbsMask;
            if (k >> LowBits == bucket) into[found++] = k;
        }
    }

    /// <summary>Counts the upper bits of every key into <paramref name="histogram"/> (added to what is there).</summary>
    internal static void CountHigh(ReadOnlySpan<uint> bits, int[] histogram)
    {
        ref int h = ref MemoryMarshal.GetArrayDataReference(histogram);
        ref uint x = ref MemoryMarshal.GetReference(bits);
        int n = bits.Length, i = 0;
        // Unrolled so that independent increments overlap; the bucket index is at most 2^15 − 1.
        for (; i + 4 <= n; i += 4)
        {
            uint a = (Unsafe.Add(ref x, i) & AbsMask) >> LowBits;
            uint b = (Unsafe.Add(ref x, i + 1) & AbsMask) >> LowBits;
            uint c = (Unsafe.Add(ref x, i + 2) & AbsMask) >> LowBits;
            uint d = (Unsafe.Add(ref x, i + 3) & AbsMask) >> LowBits;
            Unsafe.Add(ref h, a)++;
            Unsafe.Add(ref h, b)++;
            Unsafe.Add(ref h, c)++;
            Unsafe.Add(ref h, d)++;
        }
        for (; i < n; i++) Unsafe.Add(ref h, (Unsafe.Add(ref x, i) & AbsMask) >> LowBits)++;
    }

    /// <summary>Counts the lower bits of the keys whose upper bits equal <paramref name="bucket"/>.</summary>
    internal static void CountLow(ReadOnlySpan<uint> bits, uint bucket, int[] histogram)
    {
        ref int h = ref MemoryMarshal.GetArrayDataReference(histogram);
        int i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<uint>.Count)
        {
            // Few entries fall in the bucket; test a whole vector at once and count lanes only on a hit.
            var vectors = MemoryMarshal.Cast<uint, Vector<uint>>(bits);
            var abs = new Vector<uint>(AbsMask);
            var want = new Vector<uint>(bucket);
            for (int v = 0; v < vectors.Length; v++)
            {
                var key = vectors[v] & abs;
                if (Vector.EqualsAny(Vector.ShiftRightLogical(key, LowBits), want))
                {
                    for (int lane = 0; lane < Vector<uint>.Count; lane++)
                    {
                        uint k = key[lane];
                        if (k >> LowBits == bucket) Unsafe.Add(ref h, k & (LowBuckets - 1))++;
                    }
                }
            }
            i = vectors.Length * Vector<uint>.Count;
        }
        for (; i < bits.Length; i++)
        {
            uint k = bits[i] & AbsMask;
            if (k >> LowBits == bucket) Unsafe.Add(ref h, k & (LowBuckets - 1))++;
        }
    }

    /// <summary>The bucket holding the <paramref name="rank"/>-th entry counted from the top, and its rank inside the bucket.</summary>
    internal static int FindFromTop(int[] histogram, long rank, out long rankInBucket)
    {
        long above = 0;
        for (int b = histogram.Length - 1; b >= 0; b--)
        {
            long c = histogram[b];
            if (above + c >= rank)
            {
                rankInBucket = rank - above;
                return b;
            }
            above += c;
        }
        throw new InvalidOperationException($"rank {rank} exceeds the {above} entries counted");
    }
}
