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
/// A step's mask, written by an <see cref="IMaskPolicy"/> and read by the optimizers: per segment
/// a <see cref="SegmentKeep"/> and a threshold over a key buffer. The key is the gradient itself
/// (GMT) unless the policy supplies its own scores (RMT writes 1 for kept and 0 for masked entries
/// with threshold ½). Allocated once per run; policies overwrite it each step.
/// </summary>
public sealed class MaskPlan
{
    private readonly SegmentKeep[] _keep;
    private readonly float[] _thresholds;

    /// <summary>A plan over <paramref name="layout"/>, initially keeping every entry.</summary>
    public MaskPlan(FlatLayout layout, MaskedEntryMode mode)
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

    /// <summary>Writes the mask as booleans (true = updated), the form the optimizer graph takes.</summary>
    public void WriteMask(ReadOnlySpan<float> gradients, Span<bool> mask)
    {
        Layout.CheckLength(gradients.Length, "the gradient buffer");
        Layout.CheckLength(mask.Length, "the mask buffer");
        var keys = Keys(gradients);
        var segments = Layout.Segments;
        for (int s = 0; s < segments.Length; s++)
        {
            var seg = segments[s];
            var dst = mask.Slice(seg.Offset, seg.Numel);
            switch (_keep[s])
            {
                case SegmentKeep.All: dst.Fill(true); break;
                case SegmentKeep.None: dst.Fill(false); break;
                default: WriteThresholdMask(keys.Slice(seg.Offset, seg.Numel), _thresholds[s], dst); break;
            }
        }
    }

    // |key| ≥ t as bytes 0/1: four float comparisons narrowed to one vector of bytes per store.
    private static void WriteThresholdMask(ReadOnlySpan<float> keys, float t, Span<bool> mask)
    {
        var bytes = MemoryMarshal.Cast<bool, byte>(mask);
        int i = 0, width = Vector<byte>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = new Vector<float>(t);
            int f = Vector<float>.Count;
            for (; i + width <= keys.Length; i += width)
            {
                var a = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[i..])), tv);
                var b = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + f)..])), tv);
                var c = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + 2 * f)..])), tv);
                var d = Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(keys[(i + 3 * f)..])), tv);
                var lo = Vector.Narrow(a, b);
                var hi = Vector.Narrow(c, d);
                var narrowed = Vector.AsVectorByte(Vector.Narrow(lo, hi));
                (narrowed & Vector<byte>.One).CopyTo(bytes[i..]);
            }
        }
        for (; i < keys.Length; i++) bytes[i] = MathF.Abs(keys[i]) >= t ? (byte)1 : (byte)0;
    }

    /// <summary>How many entries of segment <paramref name="segment"/> are updated this step.</summary>
    public long CountKept(ReadOnlySpan<float> gradients, int segment)
    {
        var seg = Layout.Segments[segment];
        switch (_keep[segment])
        {
            case SegmentKeep.All: return seg.Numel;
            case SegmentKeep.None: return 0;
        }
        var src = Keys(gradients).Slice(seg.Offset, seg.Numel);
        float t = _thresholds[segment];
        long count = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = new Vector<float>(t);
            for (; i + Vector<float>.Count <= src.Length; i += Vector<float>.Count)
                count -= Vector.Sum(Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(src[i..])), tv));
        }
        for (; i < src.Length; i++) if (MathF.Abs(src[i]) >= t) count++;
        return count;
    }

    /// <summary>How many entries of the whole buffer are updated this step.</summary>
    public long CountKept(ReadOnlySpan<float> gradients)
    {
        long total = 0;
        for (int s = 0; s < Layout.Count; s++) total += CountKept(gradients, s);
        return total;
    }
}
