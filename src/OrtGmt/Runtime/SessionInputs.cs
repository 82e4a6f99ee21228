using Microsoft.ML.OnnxRuntime;

namespace OrtGmt.Runtime;

/// <summary>What a loaded graph accepts as input.</summary>
internal static class SessionInputs
{
    /// <summary>
    /// True when <paramref name="session"/> takes an input called <paramref name="name"/>. ONNX Runtime
    /// lists an input that has a default (an initializer of the same name) among the overridable
    /// initializers rather than the inputs; it can be fed all the same.
    /// </summary>
    public static bool Takes(this InferenceSession session, string name) =>
        session.InputNames.Contains(name) || session.OverridableInitializerMetadata.ContainsKey(name);
}
