using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Data.Tokenization;

/// <summary>What happens to a sample longer than the maximum sequence length.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum TruncationPolicy
{
    /// <summary>Stop with an error naming the file and line.</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>Keep the last tokens (the end of the response survives; the prompt's start is cut).</summary>
    [JsonStringEnumMemberName("truncate-left")] TruncateLeft,

    /// <summary>Keep the first tokens (the end of the response is cut).</summary>
    [JsonStringEnumMemberName("truncate-right")] TruncateRight,

    /// <summary>Leave the sample out (counted).</summary>
    [JsonStringEnumMemberName("drop")] Drop,
}
