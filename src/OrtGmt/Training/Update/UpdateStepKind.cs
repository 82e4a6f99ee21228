using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Training.Update;

/// <summary>Where a session runs the mask and the optimizer.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum UpdateStepKind
{
    /// <summary>On the host: exact O(n) selection and a fused SIMD optimizer pass (the CPU default).</summary>
    [JsonStringEnumMemberName("host")] Host,

    /// <summary>As ONNX graphs (mask_model, optimizer_model) on the session's execution provider (the CUDA default).</summary>
    [JsonStringEnumMemberName("graph")] Graph,
}
