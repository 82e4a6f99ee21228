using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Layout;

/// <summary>What a parameter is for; GMT reports kept fractions per category and HFT freezes by it.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum ParameterCategory
{
    /// <summary>Token (or position) embedding.</summary>
    [JsonStringEnumMemberName("embed")] Embed,

    /// <summary>Attention projections.</summary>
    [JsonStringEnumMemberName("attn")] Attn,

    /// <summary>Feed-forward (MLP) weights.</summary>
    [JsonStringEnumMemberName("mlp")] Mlp,

    /// <summary>Normalization scales and shifts.</summary>
    [JsonStringEnumMemberName("norm")] Norm,

    /// <summary>Output head.</summary>
    [JsonStringEnumMemberName("head")] Head,

    /// <summary>Anything else.</summary>
    [JsonStringEnumMemberName("other")] Other,
}
