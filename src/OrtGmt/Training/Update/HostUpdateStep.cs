using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// The update on the host: the policy selects on Γ (an exact O(n) threshold for GMT), and one fused
/// SIMD pass of the optimizer applies the mask, updates θ and the moments, and counts what it kept.
/// </summary>
internal sealed class HostUpdateStep : IUpdateStep
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly IFlatOptimizer _optimizer;
    private readonly GradientMask _mask;
    private readonly GradientPrep _prep;
    private readonly KeptCounts _kept;

    public HostUpdateStep(IMaskPolicy policy, IFlatOptimizer optimizer, FlatLayout layout, MaskedEntryMode mode,
        GradientPrep prep, KeptCounts kept, float[] parameters, float[] gradients)
    {
        Policy = policy;
        _optimizer = optimizer;
        _mask = new GradientMask(layout, mode);
        _prep = prep;
        _kept = kept;
        _parameters = parameters;
        _gradients = gradients;
    }

    public OptimizerKind Optimizer => _optimizer.Kind;

    public IMaskPolicy Policy { get; }

    public long StepCount => _optimizer.StepCount;

    public StepReport Apply(int microBatches, double learningRate)
    {
        double norm = _prep.Run(_gradients, microBatches);
        if (!double.IsFinite(norm))
        {
            _kept.Clear();
            return new StepReport(norm, Skipped: true, _kept);
        }
        Policy.Select(_gradients, _mask);
        _optimizer.Step(_parameters, _gradients, learningRate, _mask, _kept.Slots);
        _kept.Tally();
        return new StepReport(norm, Skipped: false, _kept);
    }

    public OptimizerState ExportOptimizerState() => _optimizer.ExportState();

    public void ImportOptimizerState(OptimizerState state) => _optimizer.ImportState(state);

    public void Dispose() => Policy.Dispose();
}
