using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Config;
using OrtGmt.Errors;

namespace OrtGmt.Runtime;

/// <summary>Execution provider a session runs on.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum ExecutionDevice
{
    /// <summary>ONNX Runtime's CPU provider.</summary>
    [JsonStringEnumMemberName("cpu")] Cpu,

    /// <summary>NVIDIA CUDA (needs the GPU native package: build with -p:OrtGmtGpu=true).</summary>
    [JsonStringEnumMemberName("cuda")] Cuda,
}

/// <summary>Session options the project uses everywhere, so threads and providers are set in one place.</summary>
public static class OrtSessionFactory
{
    /// <summary>
    /// Options for <paramref name="device"/> with <paramref name="threads"/> intra-op threads (0 = all
    /// cores), one inter-op thread and sequential execution: ORT's pools spin, and more threads than
    /// cores only adds contention.
    /// </summary>
    public static SessionOptions Create(ExecutionDevice device = ExecutionDevice.Cpu, int threads = 0,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = level,
            // ORT warns about the optional-input pattern (an initializer that is also an input) on every
            // load; errors still surface as exceptions.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (device == ExecutionDevice.Cuda)
        {
            var available = OrtEnv.Instance().GetAvailableProviders();
            if (!available.Contains("CUDAExecutionProvider"))
            {
                options.Dispose();
                throw new OrtGmtException(
                    "--device cuda: this build of ONNX Runtime has no CUDA execution provider (available: "
                    + string.Join(", ", available) + "). Rebuild with -p:OrtGmtGpu=true against the GPU native package.");
            }
            options.AppendExecutionProvider_CUDA(0);
        }
        return options;
    }
}
