namespace OrtGmt.Randomness;

/// <summary>
/// Deterministic random numbers with a state that can be saved and restored exactly
/// (xoshiro256** seeded through SplitMix64), so that a resumed run draws the same numbers as
/// an uninterrupted one. <see cref="System.Random"/> cannot export its state, hence this type.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    /// <summary>Seeds the generator; equal seeds give equal sequences on every platform.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator for a named sub-stream of <paramref name="seed"/> (e.g. "data", "mask").</summary>
    public static Rng ForStream(ulong seed, string stream)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in stream) h = (h ^ c) * 1099511628211UL;
        return new Rng(seed ^ h);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public long NextInt64(long maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        ulong bound = (ulong)maxExclusive;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (long)(r % bound);
    }

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive) => (int)NextInt64(maxExclusive);

    /// <summary>Standard normal sample (Box–Muller, the spare sample kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The full state, for checkpoints.</summary>
    public RngState State => new(_s0, _s1, _s2, _s3, _spareGaussian);

    /// <summary>A generator continuing exactly from <paramref name="state"/>.</summary>
    public static Rng FromState(RngState state)
    {
        var r = new Rng(0) { _s0 = state.S0, _s1 = state.S1, _s2 = state.S2, _s3 = state.S3, _spareGaussian = state.SpareGaussian };
        if ((r._s0 | r._s1 | r._s2 | r._s3) == 0) throw new ArgumentException("an all-zero xoshiro state is invalid", nameof(state));
        return r;
    }
}

/// <summary>The exportable state of an <see cref="Rng"/> (serializes to JSON as four integers and the spare sample).</summary>
public sealed record RngState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareGaussian);
