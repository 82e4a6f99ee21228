using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Masking;

/// <summary>A mask policy's checkpointed state (mask_policy.json in a checkpoint folder).</summary>
public sealed record MaskPolicyState
{
    /// <summary>The method whose policy wrote the state.</summary>
    [JsonPropertyName("method")] public required TrainingMethod Method { get; init; }

    /// <summary>The generator a random policy draws its masks from, where it has one.</summary>
    [JsonPropertyName("rng")] public RngState? Rng { get; init; }

    /// <summary>Throws unless the state was written by a <paramref name="method"/> policy.</summary>
    internal void CheckMethod(TrainingMethod method)
    {
        if (Method != method)
            throw new OrtGmtException($"the mask policy state is for '{EnumSpelling.Of(Method)}', this run trains with '{EnumSpelling.Of(method)}'");
    }
}
