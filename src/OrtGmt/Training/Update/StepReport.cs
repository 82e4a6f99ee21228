namespace OrtGmt.Training.Update;

/// <summary>What one optimizer step did.</summary>
/// <param name="GradNorm">Global L2 norm of the mean gradient before clipping.</param>
/// <param name="Skipped">True when the gradient was not finite and the step was skipped (parameters untouched).</param>
/// <param name="Kept">The entries the gradient mask kept (none for a skipped step); reused, valid until the next step.</param>
public readonly record struct StepReport(double GradNorm, bool Skipped, KeptCounts Kept);
