using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.Errors;

namespace OrtGmt.Data.Synthetic;

/// <summary>
/// One generated sample: the prompt, the completion to train on (worked steps and the answer), and
/// the bare answer the checker compares against. <see cref="Kind"/> names the sub-task (math, code,
/// reverse, sort, count, length, text). Pretraining samples carry their text in <see cref="Completion"/>
/// with an empty prompt.
/// </summary>
public sealed record SyntheticSample(
    [property: JsonPropertyName("task")] string Kind,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("completion")] string Completion,
    [property: JsonPropertyName("answer")] string Answer)
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSONL line: {task, prompt, completion, answer} ({task, text, prompt, answer} for pretraining text).</summary>
    public string ToJsonLine() => Kind == PretrainTask.TextKind
        ? JsonSerializer.Serialize(new { task = Kind, text = Completion, prompt = Completion[..^Answer.Length], answer = Answer }, Compact)
        : JsonSerializer.Serialize(this, Compact);

    /// <summary>Reads a line written by <see cref="ToJsonLine"/> (for evaluation).</summary>
    public static SyntheticSample FromJsonLine(string line, string file, long lineNumber)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string Field(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new InvalidFileException(file, $"missing string field '{name}' of a synthetic sample", lineNumber);
            string kind = Field("task");
            return kind == PretrainTask.TextKind
                ? new SyntheticSample(kind, Field("prompt"), Field("text"), Field("answer"))
                : new SyntheticSample(kind, Field("prompt"), Field("completion"), Field("answer"));
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(file, $"malformed JSON: {e.Message}", lineNumber, e);
        }
    }
}
