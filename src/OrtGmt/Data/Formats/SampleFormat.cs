using System.Text.Json.Serialization;
using OrtGmt.Config;

namespace OrtGmt.Data.Formats;

/// <summary>The JSONL sample shapes the pipeline reads.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum SampleFormat
{
    /// <summary>Detect per file from the first valid line's fields.</summary>
    [JsonStringEnumMemberName("auto")] Auto,

    /// <summary><c>{instruction, input?, output}</c> (Alpaca).</summary>
    [JsonStringEnumMemberName("alpaca")] Alpaca,

    /// <summary><c>{query, response}</c> (MetaMathQA).</summary>
    [JsonStringEnumMemberName("query")] Query,

    /// <summary><c>{messages: [{role, content}, …]}</c> rendered through a chat template.</summary>
    [JsonStringEnumMemberName("chat")] Chat,

    /// <summary><c>{prompt, completion}</c>.</summary>
    [JsonStringEnumMemberName("prompt")] Prompt,

    /// <summary><c>{prompt, chosen, rejected}</c> preference pairs.</summary>
    [JsonStringEnumMemberName("dpo")] Dpo,

    /// <summary><c>{text}</c>: plain text, every token trained (pretraining).</summary>
    [JsonStringEnumMemberName("text")] Text,
}
