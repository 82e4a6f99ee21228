using OrtGmt.Masking;

namespace OrtGmt.Optimizers;

/// <summary>
/// An optimizer over flat buffers: all trainable parameters in one array, the gradients and its
/// own state likewise, segments as in the artifact manifest. A step is one fused pass that reads
/// the gradient, applies the step's <see cref="GradientMask"/> and updates parameters and state.
/// </summary>
public interface IFlatOptimizer
{
    /// <summary>Which optimizer this is (checkpoints record it).</summary>
    OptimizerKind Kind { get; }

    /// <summary>Optimizer steps taken (t of the bias correction after the last step).</summary>
    long StepCount { get; }

    /// <summary>
    /// One step at <paramref name="learningRate"/>: updates <paramref name="parameters"/> and the
    /// state from <paramref name="gradients"/>; with a <paramref name="mask"/>, only the entries it
    /// keeps are updated as its <see cref="GradientMask.Mode"/> says, and when
    /// <paramref name="keptPerSegment"/> is given (one slot per segment of the mask's layout) the
    /// pass records how many entries of each segment the mask kept. The step count advances by one
    /// whatever the mask. Allocates nothing.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate, GradientMask? mask = null, Span<long> keptPerSegment = default);

    /// <summary>The state for a checkpoint: the live buffers (not copies) and the step count.</summary>
    OptimizerState ExportState();

    /// <summary>Restores a checkpoint's state (copied into this optimizer's buffers).</summary>
    /// <exception cref="Errors.OrtGmtException">A buffer is missing or has the wrong length, or the state is another optimizer's.</exception>
    void ImportState(OptimizerState state);
}
