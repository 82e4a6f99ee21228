using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Masking;

/// <summary>
/// What chooses the entries each optimizer step updates: GMT and its baselines share one code path
/// and differ only here. Configs spell them "sft", "gmt", "rmt", "hft".
/// </summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum TrainingMethod
{
    /// <summary>Full fine-tuning: every entry, every step (GMT at mask ratio 0).</summary>
    [JsonStringEnumMemberName("sft")] Sft,

    /// <summary>Gradient-Mask Tuning: keep the entries with the largest |accumulated gradient|.</summary>
    [JsonStringEnumMemberName("gmt")] Gmt,

    /// <summary>Random-Mask Tuning: a fresh random mask of GMT's size each step.</summary>
    [JsonStringEnumMemberName("rmt")] Rmt,

    /// <summary>Half Fine-Tuning: half the weight matrices of each category per layer frozen for the run.</summary>
    [JsonStringEnumMemberName("hft")] Hft,
}
