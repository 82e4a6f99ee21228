using System.Numerics.Tensors;
using OrtGmt.Optimizers;

namespace OrtGmt.Training.Update;

/// <summary>
/// Γ from the gradient a step accumulated in a host buffer: the sum over micro-batches becomes the
/// mean, then its global norm is taken and, when a maximum is set, the gradient is clipped to it
/// (torch.nn.utils.clip_grad_norm_). Shared by the update steps whose gradient is on the host.
/// </summary>
internal sealed class GradientPrep(double? maxGradNorm)
{
    /// <summary>Turns the sum in <paramref name="gradients"/> into Γ in place; returns the norm before clipping.</summary>
    public double Run(Span<float> gradients, int microBatches)
    {
        if (microBatches > 1) TensorPrimitives.Multiply(gradients, 1f / microBatches, gradients);
        // A data-parallel run averages Γ across processes here, before the norm and the mask, so
        // every process masks and steps with the same Γ.
        return maxGradNorm is { } max ? GradientClipping.ClipByGlobalNorm(gradients, max) : GradientClipping.GlobalNorm(gradients);
    }
}
