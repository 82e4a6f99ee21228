using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.Errors;

namespace OrtGmt.Data.Batching;

/// <summary>
/// Where a <see cref="Batcher"/> stands: the epoch and the number of micro-batches of that epoch
/// already handed out. The epoch's order is a pure function of (seed, epoch), so this pair alone
/// resumes a run exactly. <see cref="SampleCount"/> guards against resuming on other data.
/// </summary>
public sealed record DataCursor(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("position")] long Position,
    [property: JsonPropertyName("sample_count")] int SampleCount)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The cursor as JSON (for the trainer state file).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    /// <summary>Reads a cursor written by <see cref="ToJson"/>.</summary>
    public static DataCursor FromJson(string json, string source = "data cursor")
    {
        try
        {
            var c = JsonSerializer.Deserialize<DataCursor>(json) ?? throw new OrtGmtException($"{source}: empty data cursor");
            if (c.Epoch < 0 || c.Position < 0) throw new OrtGmtException($"{source}: data cursor has a negative epoch or position");
            return c;
        }
        catch (JsonException e)
        {
            throw new OrtGmtException($"{source}: not a data cursor: {e.Message}", e);
        }
    }
}
