namespace OrtGmt.Layout;

/// <summary>One parameter's slice [Offset, Offset + Numel) of the flat parameter/gradient/state buffers.</summary>
/// <param name="Offset">First element, in elements from the start of the flat buffer.</param>
/// <param name="Numel">Number of elements (at least one).</param>
public readonly record struct FlatSegment(int Offset, int Numel)
{
    /// <summary>One past the last element.</summary>
    public int End => Offset + Numel;
}

/// <summary>
/// How the trainable parameters tile the flat buffers: segments in order, contiguous from zero,
/// none empty. Every host component (selector, policies, optimizers) walks the buffers through it.
/// </summary>
public sealed class FlatLayout
{
    private readonly FlatSegment[] _segments;

    /// <summary>Builds the layout from (offset, numel) pairs, which must tile [0, total) in order.</summary>
    /// <exception cref="ArgumentException">The segments leave a gap, overlap, are empty or exceed an array's length.</exception>
    public FlatLayout(IEnumerable<(long Offset, long Numel)> segments)
    {
        var list = new List<FlatSegment>();
        long expected = 0;
        foreach (var (offset, numel) in segments)
        {
            if (numel <= 0) throw new ArgumentException($"segment {list.Count}: numel {numel} is not positive", nameof(segments));
            if (offset != expected) throw new ArgumentException($"segment {list.Count}: offset {offset}, expected {expected} (segments must tile the flat buffer)", nameof(segments));
            expected = offset + numel;
            if (expected > Array.MaxLength) throw new ArgumentException($"the flat buffer would hold {expected} elements, more than one array can ({Array.MaxLength})", nameof(segments));
            list.Add(new FlatSegment((int)offset, (int)numel));
        }
        _segments = [.. list];
        TotalElements = (int)expected;
    }

    /// <summary>The layout of a manifest's trainable parameters.</summary>
    public static FlatLayout FromParameters(IEnumerable<ParameterEntry> parameters) =>
        new(parameters.Select(p => (p.Offset, p.Numel)));

    /// <summary>A layout of a single segment covering <paramref name="numel"/> elements.</summary>
    public static FlatLayout Single(int numel) => new([(0L, (long)numel)]);

    /// <summary>The segments, in buffer order.</summary>
    public ReadOnlySpan<FlatSegment> Segments => _segments;

    /// <summary>Number of segments.</summary>
    public int Count => _segments.Length;

    /// <summary>Length of the flat buffers.</summary>
    public int TotalElements { get; }

    /// <summary>The segments as (offset, numel) pairs, the form the graph builders take.</summary>
    public IReadOnlyList<(long Offset, long Numel)> AsPairs() => [.. _segments.Select(s => ((long)s.Offset, (long)s.Numel))];

    /// <summary>Throws unless <paramref name="length"/> equals <see cref="TotalElements"/>.</summary>
    internal void CheckLength(int length, string what)
    {
        if (length != TotalElements)
            throw new ArgumentException($"{what} has {length} elements, the layout {TotalElements}");
    }
}
