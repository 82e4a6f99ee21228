using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;

namespace OrtGmt.Training;

/// <summary>How a <see cref="TrainingSession"/> runs: device, threads, optimizer settings, mask and clipping.</summary>
public sealed record TrainingSessionOptions
{
    /// <summary>Execution provider of the training and eval graphs.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Intra-op threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Optimizer to use; null uses the one the artifacts were made for.</summary>
    public OptimizerKind? Optimizer { get; init; }

    /// <summary>AdamW settings (used when the artifacts' optimizer is adamw).</summary>
    public AdamWOptions AdamW { get; init; } = new();

    /// <summary>SGD settings (used when the artifacts' optimizer is sgd).</summary>
    public SgdOptions Sgd { get; init; } = new();

    /// <summary>Which entries each optimizer step updates; null trains every entry (SFT).</summary>
    public IMaskPolicy? Mask { get; init; }

    /// <summary>What a masked entry gets: frozen (θ and moments untouched) or a zero gradient.</summary>
    public MaskedEntryMode MaskMode { get; init; } = MaskedEntryMode.Freeze;

    /// <summary>Clip the mean gradient to this global L2 norm before masking; null = no clipping.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>
    /// Run mask and optimizer as ONNX graphs (mask_model / optimizer_model) on the session's
    /// execution provider instead of the fused host pass. Always on for CUDA.
    /// </summary>
    public bool GraphOptimizer { get; init; }
}
