using OrtGmt.Layout;

namespace OrtGmt.Training.Update;

/// <summary>
/// What one update kept: the entries of each parameter the gradient mask let the optimizer change,
/// and from those the shares overall, per parameter category and per layer. The update step fills
/// the per-parameter counts as it masks; the sums cost one pass over the parameters, not over the
/// gradient. One instance is reused every step (valid until the next optimizer step).
/// </summary>
public sealed class KeptCounts
{
    private readonly long[] _perParameter;
    private readonly int[] _categoryOf;
    private readonly int[] _layerOf;
    private readonly ParameterCategory[] _categories;
    private readonly long[] _categoryKept, _categoryTotal;
    private readonly long[] _layerKept, _layerTotal;

    /// <summary>Counts for <paramref name="parameters"/> (manifest order), all zero.</summary>
    public KeptCounts(IReadOnlyList<ParameterEntry> parameters)
    {
        _perParameter = new long[parameters.Count];
        _categories = [.. parameters.Select(p => p.Category).Distinct().Order()];
        _categoryOf = [.. parameters.Select(p => Array.IndexOf(_categories, p.Category))];
        _layerOf = [.. parameters.Select(p => p.Layer ?? -1)];
        _categoryKept = new long[_categories.Length];
        _categoryTotal = new long[_categories.Length];
        int layers = parameters.Count == 0 ? 0 : parameters.Max(p => p.Layer ?? -1) + 1;
        _layerKept = new long[layers];
        _layerTotal = new long[layers];
        for (int i = 0; i < parameters.Count; i++)
        {
            _categoryTotal[_categoryOf[i]] += parameters[i].Numel;
            if (_layerOf[i] >= 0) _layerTotal[_layerOf[i]] += parameters[i].Numel;
            TotalElements += parameters[i].Numel;
        }
    }

    /// <summary>Entries kept per parameter, in manifest order (one slot per flat-buffer segment).</summary>
    public ReadOnlySpan<long> PerParameter => _perParameter;

    /// <summary>Entries kept in all.</summary>
    public long Total { get; private set; }

    /// <summary>Trainable entries in all.</summary>
    public long TotalElements { get; }

    /// <summary>Share of all trainable entries kept.</summary>
    public double Share => TotalElements == 0 ? 0 : (double)Total / TotalElements;

    /// <summary>The categories the parameters fall into, in enum order.</summary>
    public IReadOnlyList<ParameterCategory> Categories => _categories;

    /// <summary>Share of the entries of <paramref name="category"/> kept (0 for a category without parameters).</summary>
    public double ShareOf(ParameterCategory category)
    {
        int c = Array.IndexOf(_categories, category);
        return c < 0 ? 0 : (double)_categoryKept[c] / _categoryTotal[c];
    }

    /// <summary>Number of transformer layers (highest layer index + 1; 0 when no parameter has one).</summary>
    public int Layers => _layerTotal.Length;

    /// <summary>Share of the entries of layer <paramref name="layer"/> kept (0 for a layer without parameters).</summary>
    public double ShareOfLayer(int layer) => _layerTotal[layer] == 0 ? 0 : (double)_layerKept[layer] / _layerTotal[layer];

    /// <summary>The slots an update step writes, one per parameter (an array, so a graph output can be bound to it).</summary>
    internal long[] Slots => _perParameter;

    /// <summary>Sums the per-parameter counts into the totals, after a step wrote <see cref="Slots"/>.</summary>
    internal void Tally()
    {
        Array.Clear(_categoryKept);
        Array.Clear(_layerKept);
        long total = 0;
        for (int i = 0; i < _perParameter.Length; i++)
        {
            long kept = _perParameter[i];
            total += kept;
            _categoryKept[_categoryOf[i]] += kept;
            if (_layerOf[i] >= 0) _layerKept[_layerOf[i]] += kept;
        }
        Total = total;
    }

    /// <summary>Nothing kept: a skipped step.</summary>
    internal void Clear()
    {
        Array.Clear(_perParameter);
        Tally();
    }
}
