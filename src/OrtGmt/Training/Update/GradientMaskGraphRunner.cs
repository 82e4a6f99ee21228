using Microsoft.ML.OnnxRuntime;
using OrtGmt.Layout;
using OrtGmt.Masking;

namespace OrtGmt.Training.Update;

/// <summary>
/// Runs mask_model (per tensor) or mask_global_model over the host gradient for GMT's top-k rule:
/// writes the boolean mask the optimizer graph reads and the entries kept per segment.
/// </summary>
internal sealed class GradientMaskGraphRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _values;

    public GradientMaskGraphRunner(InferenceSession session, TopKRule rule, FlatLayout layout, float[] gradients, bool[] mask, long[] keptPerSegment)
    {
        _session = session;
        var pairs = layout.AsPairs();
        long[] keep = rule.Scope == MaskScope.Global
            ? [MaskMath.KeepCount(layout.TotalElements, rule.Ratio)]
            : GradientMaskGraphs.KeepCounts(pairs, rule.Ratio);
        _values =
        [
            OrtValue.CreateTensorValueFromMemory(gradients, [gradients.Length]),
            OrtValue.CreateTensorValueFromMemory(keep, [keep.Length]),
            OrtValue.CreateTensorValueFromMemory(mask, [mask.Length]),
            OrtValue.CreateTensorValueFromMemory(keptPerSegment, [keptPerSegment.Length]),
        ];
        _binding = session.CreateIoBinding();
        _binding.BindInput(GradientMaskGraphs.GradInput, _values[0]);
        _binding.BindInput(rule.Scope == MaskScope.Global ? GradientMaskGraphs.KeepCountInput : GradientMaskGraphs.KeepCountsInput, _values[1]);
        _binding.BindOutput(GradientMaskGraphs.MaskOutput, _values[2]);
        _binding.BindOutput(GradientMaskGraphs.KeptCountsOutput, _values[3]);
    }

    /// <summary>Masks the gradient the runner was built over.</summary>
    public void Run() => _session.RunWithBinding(_run, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var v in _values) v.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
