using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Masking;

/// <summary>Over which entries one threshold is chosen.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum MaskScope
{
    /// <summary>One threshold per parameter tensor (segment): each keeps its own top share.</summary>
    [JsonStringEnumMemberName("tensor")] Tensor,

    /// <summary>One threshold over every trainable entry of the flat buffer.</summary>
    [JsonStringEnumMemberName("global")] Global,
}

/// <summary>What the optimizer does with an entry the mask drops.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum MaskedEntryMode
{
    /// <summary>
    /// Algorithm 1 of the GMT paper: the parameter and its optimizer state (Adam moments, momentum
    /// buffer) are left exactly as they were this step.
    /// </summary>
    [JsonStringEnumMemberName("freeze")] Freeze,

    /// <summary>
    /// The entry's gradient is replaced by zero and the optimizer runs on every entry, so momentum
    /// and weight decay can still move a masked parameter.
    /// </summary>
    [JsonStringEnumMemberName("zero-grad")] ZeroGrad,
}
