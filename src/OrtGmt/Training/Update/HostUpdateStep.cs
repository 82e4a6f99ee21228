using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// The update on the host: the policy selects on Γ (an exact O(n) threshold for GMT), and one fused
/// SIMD pass of the optimizer applies the mask, updates θ and the moments, and counts what it kept.
/// </summary>
internal sealed class HostUpdateStep(IMaskPolicy policy, IFlatOptimizer optimizer, FlatLayout layout, MaskedEntryMode mode,
    GradientPrep prep, KeptCounts kept, float[] parameters, float[] gradients)
    : HostGradientUpdateStep(policy, prep, kept, gradients)
{
    private readonly GradientMask _mask = new(layout, mode);

    public override OptimizerKind Optimizer => optimizer.Kind;

    public override long StepCount => optimizer.StepCount;

    protected override void MaskAndStep(double learningRate)
    {
        Policy.Select(Gradients, _mask);
        optimizer.Step(parameters, Gradients, learningRate, _mask, Kept.Slots);
    }

    public override OptimizerState ExportOptimizerState() => optimizer.ExportState();

    public override void ImportOptimizerState(OptimizerState state) => optimizer.ImportState(state);
}
