using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// What the update steps whose gradient is a host array share: Γ from the accumulated sum, a skipped
/// step for a non-finite Γ, and the tally of the kept counts. They differ only in how they mask and
/// step (<see cref="MaskAndStep"/>).
/// </summary>
internal abstract class HostGradientUpdateStep(IMaskPolicy policy, GradientPrep prep, KeptCounts kept, float[] gradients) : IUpdateStep
{
    /// <summary>Γ once <see cref="Apply"/> has prepared it.</summary>
    protected float[] Gradients { get; } = gradients;

    /// <summary>The per-parameter slots <see cref="MaskAndStep"/> fills.</summary>
    protected KeptCounts Kept { get; } = kept;

    public IMaskPolicy Policy { get; } = policy;

    public abstract OptimizerKind Optimizer { get; }

    public abstract long StepCount { get; }

    public StepReport Apply(int microBatches, double learningRate)
    {
        double norm = prep.Run(Gradients, microBatches);
        if (!double.IsFinite(norm))
        {
            Kept.Clear();
            return new StepReport(norm, Skipped: true, Kept);
        }
        MaskAndStep(learningRate);
        Kept.Tally();
        return new StepReport(norm, Skipped: false, Kept);
    }

    /// <summary>Masks Γ with the policy, steps the optimizer and writes the kept count of every parameter into <see cref="Kept"/>.</summary>
    protected abstract void MaskAndStep(double learningRate);

    public abstract OptimizerState ExportOptimizerState();

    public abstract void ImportOptimizerState(OptimizerState state);

    public virtual void Dispose() => Policy.Dispose();
}
