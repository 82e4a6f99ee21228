using OrtGmt.Artifacts;
using OrtGmt.Layout;

namespace OrtGmt.Training;

/// <summary>Turns the per-parameter kept counts of a step into shares overall, per category and per layer.</summary>
internal sealed class CategoryCounter
{
    private readonly ArtifactManifest _manifest;
    private readonly long[] _kept;
    private readonly string[] _categories;
    private readonly long[] _categoryTotals;
    private readonly long[] _layerTotals;

    public CategoryCounter(ArtifactManifest manifest)
    {
        _manifest = manifest;
        _kept = new long[manifest.Parameters.Length];
        _categories = [.. manifest.Parameters.Select(p => Name(p.Category)).Distinct().Order(StringComparer.Ordinal)];
        _categoryTotals = [.. _categories.Select(c => manifest.Parameters.Where(p => Name(p.Category) == c).Sum(p => p.Numel))];
        int layers = manifest.Parameters.Max(p => p.Layer ?? -1) + 1;
        _layerTotals = new long[layers];
        foreach (var p in manifest.Parameters) if (p.Layer is { } l) _layerTotals[l] += p.Numel;
    }

    private static string Name(ParameterCategory c) => c.ToString().ToLowerInvariant();

    public (double Overall, Dictionary<string, double> ByCategory, double[] ByLayer) Count(TrainingSession session, bool skipped)
    {
        if (skipped) Array.Clear(_kept);
        else session.CountKept(_kept);
        var byCategory = new Dictionary<string, double>(_categories.Length);
        var categoryKept = new long[_categories.Length];
        var layerKept = new long[_layerTotals.Length];
        long total = 0;
        for (int i = 0; i < _kept.Length; i++)
        {
            var p = _manifest.Parameters[i];
            total += _kept[i];
            categoryKept[Array.IndexOf(_categories, Name(p.Category))] += _kept[i];
            if (p.Layer is { } l) layerKept[l] += _kept[i];
        }
        for (int c = 0; c < _categories.Length; c++) byCategory[_categories[c]] = (double)categoryKept[c] / _categoryTotals[c];
        var byLayer = new double[_layerTotals.Length];
        for (int l = 0; l < byLayer.Length; l++) byLayer[l] = _layerTotals[l] == 0 ? 0 : (double)layerKept[l] / _layerTotals[l];
        return ((double)total / _manifest.TotalElements, byCategory, byLayer);
    }
}
