using OrtGmt.Layout;
using OrtGmt.Randomness;

namespace OrtGmt.Masking;

/// <summary>
/// Half Fine-Tuning baseline: within each transformer layer, for each category (attention, MLP),
/// floor(count/2) of that layer's weight matrices of the category are frozen for the whole run,
/// chosen by seed. Weight matrices are parameters of rank ≥ 2; biases, norms and every parameter
/// outside the layer stack (embeddings, head) are trained. Frozen segments are untouched in both
/// masked-entry modes; the others are updated in full.
/// </summary>
public sealed class HftPolicy : IMaskPolicy
{
    private readonly bool[] _frozen;

    /// <summary>Chooses the frozen matrices of <paramref name="parameters"/> (manifest order) from <paramref name="seed"/>.</summary>
    public HftPolicy(IReadOnlyList<ParameterEntry> parameters, ulong seed)
    {
        _frozen = new bool[parameters.Count];
        var rng = Rng.ForStream(seed, "hft");
        var groups = Enumerable.Range(0, parameters.Count)
            .Where(i => parameters[i] is { Layer: not null, Shape.Length: >= 2, Category: ParameterCategory.Attn or ParameterCategory.Mlp })
            .GroupBy(i => (parameters[i].Layer!.Value, parameters[i].Category))
            .OrderBy(g => g.Key.Value).ThenBy(g => g.Key.Category);
        long frozenElements = 0, total = parameters.Sum(p => p.Numel);
        foreach (var group in groups)
        {
            int[] members = [.. group];
            rng.Shuffle<int>(members);
            foreach (int i in members.Take(members.Length / 2))
            {
                _frozen[i] = true;
                frozenElements += parameters[i].Numel;
            }
        }
        Ratio = total == 0 ? 0 : (double)frozenElements / total;
    }

    /// <inheritdoc/>
    public TrainingMethod Method => TrainingMethod.Hft;

    /// <summary>The share of trainable entries frozen for the run.</summary>
    public double Ratio { get; }

    /// <inheritdoc/>
    public TopKRule? TopK => null;

    /// <summary>Per parameter (manifest order), whether it is frozen for the whole run.</summary>
    public IReadOnlyList<bool> Frozen => _frozen;

    /// <inheritdoc/>
    public void Select(ReadOnlySpan<float> gradients, GradientMask mask)
    {
        if (mask.Layout.Count != _frozen.Length)
            throw new ArgumentException($"the mask has {mask.Layout.Count} segments, the policy {_frozen.Length} parameters", nameof(mask));
        mask.Scores = null;
        mask.Thresholds.Clear();
        for (int s = 0; s < _frozen.Length; s++) mask.Keep[s] = _frozen[s] ? SegmentKeep.None : SegmentKeep.All;
    }

    /// <summary>The frozen set follows from the seed: nothing to carry across a checkpoint.</summary>
    public MaskPolicyState ExportState() => new() { Method = Method };

    /// <inheritdoc/>
    public void ImportState(MaskPolicyState state) => state.CheckMethod(Method);

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
