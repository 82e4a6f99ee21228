using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;
using OrtGmt.Training.Update;

namespace OrtGmt.Training.Session;

/// <summary>
/// How a <see cref="GmtTrainingSession"/> trains: the method and its gradient mask, the optimizer,
/// clipping, and where it runs. The defaults train every entry (SFT) with the artifacts' optimizer
/// on the CPU.
/// </summary>
public sealed record GmtTrainingSessionOptions
{
    /// <summary>Execution provider of the training and eval graphs.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Intra-op threads (0 = all cores); GMT's selection uses this many threads too (at least one).</summary>
    public int Threads { get; init; }

    /// <summary>What chooses the entries each step updates: GMT or one of its baselines.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.Sft;

    /// <summary>Share of gradient entries masked each step (GMT, RMT); must be in [0, 1).</summary>
    public double MaskRatio { get; init; } = 0.3;

    /// <summary>Whether GMT's threshold (and RMT's count) is per parameter tensor or over all entries.</summary>
    public MaskScope MaskScope { get; init; } = MaskScope.Tensor;

    /// <summary>What a masked entry gets: frozen (θ and moments untouched) or a zero gradient.</summary>
    public MaskedEntryMode MaskMode { get; init; } = MaskedEntryMode.Freeze;

    /// <summary>Seed of RMT's random masks and of HFT's choice of frozen matrices.</summary>
    public ulong Seed { get; init; }

    /// <summary>Optimizer to use; null uses the one the artifacts were made for.</summary>
    public OptimizerKind? Optimizer { get; init; }

    /// <summary>AdamW settings (used when the optimizer is AdamW).</summary>
    public AdamWOptions AdamW { get; init; } = new();

    /// <summary>SGD settings (used when the optimizer is SGD).</summary>
    public SgdOptions Sgd { get; init; } = new();

    /// <summary>Clip the mean gradient to this global L2 norm before masking; null = no clipping.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>
    /// Where mask and optimizer run: on the host (fused SIMD pass) or as ONNX graphs on the session's
    /// execution provider. Null chooses the host on the CPU and the graphs on CUDA.
    /// </summary>
    public UpdateStepKind? UpdateStep { get; init; }
}
