using System.Numerics;
using System.Runtime.InteropServices;
using OrtGmt.Layout;

namespace OrtGmt.Masking;

/// <summary>How one segment's entries are chosen this step.</summary>
public enum SegmentKeep
{
    /// <summary>Every entry is updated (SFT, r = 0, or a keep count equal to the segment's size).</summary>
    All,

    /// <summary>Entry i is updated when |key[i]| ≥ the segment's threshold.</summary>
    Threshold,

    /// <summary>The whole segment is frozen (HFT): untouched in both masked-entry modes.</summary>
    None,
}

/// <summary>
/// A step's gradient mask, written by an <see cref="IMaskPolicy"/> and read by the optimizers, in
/// rule form: per segment a <see cref="SegmentKeep"/> and a threshold over a key buffer. The key is the gradient itself
/// (GMT) unless the policy supplies its own scores (RMT writes 1 for kept and 0 for masked entries
/// with threshold ½). Allocated once per run; policies overwrite it each step.
/// </summary>
public sealed class GradientMask
{
    private readonly SegmentKeep[] _keep;
    private readonly float[] _thresholds;

    /// <summary>A plan over <paramref name="layout"/>, initially keeping every entry.</summary>
    public GradientMask(FlatLayout layout, MaskedEntryMode mode)
    {
        Layout = layout;
        Mode = mode;
        _keep = new SegmentKeep[layout.Count];
        _thresholds = new float[layout.Count];
    }

    /// <summary>The segments the plan covers.</summary>
    public FlatLayout Layout { get; }

    /// <summary>What the optimizer does with masked entries.</summary>
    public MaskedEntryMode Mode { get; }

    /// <summary>Per segment, how its entries are chosen.</summary>
    public Span<SegmentKeep> Keep => _keep;

    /// <summary>Per segment, the threshold on |key| used when <see cref="Keep"/> is <see cref="SegmentKeep.Threshold"/>.</summary>
    public Span<float> Thresholds => _thresholds;

    /// <summary>Scores the thresholds apply to instead of the gradient, or null when the key is the gradient.</summary>
    public float[]? Scores { get; set; }

    /// <summary>The key buffer: <see cref="Scores"/> when set, else <paramref name="gradients"/>.</summary>
    public ReadOnlySpan<float> Keys(ReadOnlySpan<float> gradients) => Scores is { } s ? s : gradients;

    /// <summary>Marks every segment <see cref="SegmentKeep.All"/> and drops any scores.</summary>
    public void KeepAll()
    {
        Array.Fill(_keep, SegmentKeep.All);
        Array.Clear(_thresholds);
        Scores = null;
    }

    /// <summary>
    /// Writes the mask into <paramref name="booleans"/> (true = updated), the form the optimizer graph takes; when
    /// <paramref name="keptPerSegment"/> is given (one slot per segment), also how many entries of
    /// each segment are kept, counted in the same pass.
    /// </summary>
    public void WriteBooleans(ReadOnlySpan<float> gradients, Span<bool> booleans, Span<long> keptPerSegment = default)
    {
        Layout.CheckLength(gradients.Length, "the gradient buffer");
        Layout.CheckLength(booleans.Length, "the boolean mask");
        if (!keptPerSegment.IsEmpty && keptPerSegment.Length != Layout.Count)
            throw new ArgumentException($"{keptPerSegment.Length} kept counts for {Layout.Count} segments", nameof(keptPerSegment));
        var keys = Keys(gradients);
        var segments = Layout.Segments;
        for (int s = 0; s < segments.Length; s++)
        {
            var seg = segments[s];
            var dst = booleans.Slice(seg.Offset, seg.Numel);
            long kept;
            switch (_keep[s])
            {
                case SegmentKeep.All:
                    dst.Fill(true);
                    kept = seg.Numel;
                    break;
                case SegmentKeep.None:
                    dst.Fill(false);
                    kept = 0;
                    break;
                default:
                    kept = WriteThreshold(keys.Slice(seg.Offset, seg.Numel), _thresholds[s], dst);
                    break;
            }
            if (!keptPerSegment.IsEmpty) keptPerSegment[s] = kept;
        }
    }

    // |key| ≥ t as bytes 0/1, four float comparisons narrowed to one vector of bytes per store;
    // returns the number of ones.
    private static long WriteThreshold(ReadOnlySpan<float> keys, float t, Span<bool> booleans)
    {
        var bytes = MemoryMarshal.Cast<bool, byte>(booleans);
        int i = 0, width = Vector<byte>.Count;
        long kept = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = new Vector<float>(t);
            var keptLanes = Vector<int>.Zero;
            int f = Vector<float>.Count;
            for (; i + width <= keys.Length; i += width)
            {
                var a = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[i..])), tv);
                var b = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + f)..])), tv);
                var c = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + 2 * f)..])), tv);
                var d = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + 3 * f)..])), tv);
                keptLanes -= a + b + c + d;
                var lo = Vector.Narrow(a, b);
                var hi = Vector.Narrow(c, d);
                var narrowed = Vector.AsVectorByte(Vector.Narrow(lo, hi));
                (narrowed & Vector<byte>.One).CopyTo(bytes[i..]);
            }
            kept = Vector.Sum(keptLanes);
        }
        for (; i < keys.Length; i++)
        {
            bool keep = MathF.Abs(keys[i]) >= t;
            bytes[i] = keep ? (byte)1 : (byte)0;
            if (keep) kept++;
        }
        return kept;
    }
}
