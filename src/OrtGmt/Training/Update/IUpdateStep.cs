using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// One optimizer update, from the gradient accumulated over a step's micro-batches to new
/// parameters: Γ = the mean, clipped when asked; the policy's gradient mask; the optimizer; and a
/// count of what the mask kept, taken from the step itself. A training session's OptimizerStep
/// is one call of <see cref="Apply"/>. Implementations differ only in where the work runs:
/// <see cref="HostUpdateStep"/> (policy → selection → fused SIMD kernel on host buffers) and
/// <see cref="GraphUpdateStep"/> (mask and optimizer graphs on the session's execution provider).
/// </summary>
/// <remarks>
/// The contract leaves room for the implementations still to come. A device-resident step keeps
/// θ, Γ and the optimizer moments on the execution provider's device, computes Γ, the mask and the
/// update there, and brings back only the norm and the kept counts, which is all a
/// <see cref="StepReport"/> holds. A data-parallel run averages Γ across processes before the
/// mask: for host buffers that is one all-reduce inside <see cref="GradientPrep"/>, which both
/// host-buffer implementations share, so neither changes.
/// </remarks>
internal interface IUpdateStep : IDisposable
{
    /// <summary>The optimizer this step runs.</summary>
    OptimizerKind Optimizer { get; }

    /// <summary>The policy that chooses each step's gradient mask (owned: disposed with the step).</summary>
    IMaskPolicy Policy { get; }

    /// <summary>Optimizer steps taken (t of the bias correction after the last step), resumed steps included.</summary>
    long StepCount { get; }

    /// <summary>
    /// Updates the parameters from the gradient summed over <paramref name="microBatches"/>
    /// micro-batches, at <paramref name="learningRate"/>. A non-finite gradient skips the update and
    /// leaves the step count as it is. Allocates nothing.
    /// </summary>
    StepReport Apply(int microBatches, double learningRate);

    /// <summary>The optimizer's state for a checkpoint.</summary>
    OptimizerState ExportOptimizerState();

    /// <summary>Continues from a checkpoint's optimizer state.</summary>
    void ImportOptimizerState(OptimizerState state);
}
