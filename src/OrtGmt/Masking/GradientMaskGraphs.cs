using OrtGmt.Graph;
using OrtGmt.Layout;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Masking;

/// <summary>
/// ONNX models computing GMT's gradient mask on an execution provider (mask_model.onnx and
/// mask_global_model.onnx): T = ReduceMin(TopK(|g|, k, sorted=0)), mask = |g| ≥ T, so entries tied
/// at T are all kept, as on the host. The keep counts are inputs, computed with
/// <see cref="MaskMath.KeepCount"/>, so one model serves every ratio. Both models also count the
/// entries kept in each segment, so a step's report needs only those few numbers back from the device.
/// </summary>
public static class GradientMaskGraphs
{
    /// <summary>Input: the flat gradient, float [N].</summary>
    public const string GradInput = "grad";

    /// <summary>Input of the per-tensor model: int64 [S], the keep count of each segment.</summary>
    public const string KeepCountsInput = "keep_counts";

    /// <summary>Input of the global model: int64 [1], the keep count over the whole buffer.</summary>
    public const string KeepCountInput = "keep_count";

    /// <summary>Output: bool [N], true where the entry is kept.</summary>
    public const string MaskOutput = "mask";

    /// <summary>Output: int64 [S], the entries kept in each segment.</summary>
    public const string KeptCountsOutput = "kept_counts";

    /// <summary>
    /// The per-tensor mask model for the segments (offset, numel) of the flat buffer, which must
    /// tile it in order; their offsets and sizes are baked into the graph.
    /// </summary>
    public static ModelProto BuildTensorScope(IReadOnlyList<(long Offset, long Numel)> segments)
    {
        var layout = new FlatLayout(segments);
        long n = layout.TotalElements;
        var g = new GraphBuilder("gmt_mask_tensor");
        g.Input(GradInput, DataType.Float, n);
        g.Input(KeepCountsInput, DataType.Int64, (long)layout.Count);
        string abs = g.Abs(GradInput);
        var parts = new string[layout.Count];
        for (int s = 0; s < layout.Count; s++)
        {
            var seg = layout.Segments[s];
            using var scope = g.Scope($"segment{s}");
            string a = g.Slice(abs, [seg.Offset], [seg.End], [0]);
            string k = g.Slice(KeepCountsInput, [s], [s + 1], [0]);
            parts[s] = g.GreaterOrEqual(a, Threshold(g, a, k));
        }
        g.Output(Join(g, parts), MaskOutput, DataType.Bool, n);
        g.Output(Join(g, [.. parts.Select(p => KeptCount(g, p))]), KeptCountsOutput, DataType.Int64, (long)layout.Count);
        return g.ToModel();
    }

    /// <summary>
    /// The global mask model over the flat buffer the segments tile: one threshold over all entries;
    /// the segments only split the kept counts.
    /// </summary>
    public static ModelProto BuildGlobalScope(IReadOnlyList<(long Offset, long Numel)> segments)
    {
        var layout = new FlatLayout(segments);
        long n = layout.TotalElements;
        var g = new GraphBuilder("gmt_mask_global");
        g.Input(GradInput, DataType.Float, n);
        g.Input(KeepCountInput, DataType.Int64, 1L);
        string abs = g.Abs(GradInput);
        string mask = g.GreaterOrEqual(abs, Threshold(g, abs, KeepCountInput));
        g.Output(mask, MaskOutput, DataType.Bool, n);
        var counts = new string[layout.Count];
        for (int s = 0; s < layout.Count; s++)
        {
            var seg = layout.Segments[s];
            using var scope = g.Scope($"segment{s}");
            counts[s] = KeptCount(g, layout.Count == 1 ? mask : g.Slice(mask, [seg.Offset], [seg.End], [0]));
        }
        g.Output(Join(g, counts), KeptCountsOutput, DataType.Int64, (long)layout.Count);
        return g.ToModel();
    }

    /// <summary>The per-segment keep counts the per-tensor model takes at <paramref name="ratio"/>.</summary>
    public static long[] KeepCounts(IReadOnlyList<(long Offset, long Numel)> segments, double ratio) =>
        [.. segments.Select(s => MaskMath.KeepCount(s.Numel, ratio))];

    private static string Join(GraphBuilder g, string[] parts) => parts.Length == 1 ? parts[0] : g.Concat(0, parts);

    // int64 [1]: the true entries of a bool mask. Summed as int32, which holds any segment's count.
    private static string KeptCount(GraphBuilder g, string mask) =>
        g.Cast(g.ReduceSum(g.Cast(mask, DataType.Int32), [0], keepDims: true), DataType.Int64);

    // Unsorted TopK finds the k largest without ordering them; their minimum is the k-th largest.
    private static string Threshold(GraphBuilder g, string abs, string k)
    {
        string values = g.Node("TopK", [abs, k], 2, Attr.Int("axis", 0), Attr.Int("largest", 1), Attr.Int("sorted", 0))[0];
        return g.Op("ReduceMin", [values], Attr.Int("keepdims", 0));
    }
}
