using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.IO;

namespace OrtGmt.Training.Metrics;

/// <summary>
/// metrics.jsonl: one JSON object per optimizer step, flushed every line so a crash loses nothing.
/// A line with step 0 holds the held-out loss measured before the first step. Each step appears
/// once: resuming from a checkpoint first drops the lines of steps after it, which the stopped run
/// wrote but the resumed run takes again.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    private MetricsLog(string path, FileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, mode, FileAccess.Write, FileShare.Read)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>A new, empty log at <paramref name="path"/> (an earlier file is replaced).</summary>
    public static MetricsLog Create(string path) => new(path, FileMode.Create);

    /// <summary>
    /// Continues the log of a run resumed from the checkpoint at <paramref name="step"/>: lines of
    /// later steps, and a last line cut short by a crash, are dropped first.
    /// </summary>
    public static MetricsLog Resume(string path, long step)
    {
        if (File.Exists(path))
        {
            var kept = File.ReadLines(path).Where(line => StepOf(line) is { } s && s <= step).ToList();
            AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
        }
        return new MetricsLog(path, FileMode.Append);
    }

    /// <summary>Writes one step's record.</summary>
    public void Write(StepMetrics record) => _writer.WriteLine(JsonSerializer.Serialize(record));

    /// <summary>Writes the held-out loss measured before the first step (the step-0 line).</summary>
    public void WriteInitialEval(double loss) => _writer.WriteLine(JsonSerializer.Serialize(new InitialEval { EvalLoss = loss }));

    /// <summary>Every step record of a metrics file in step order, each step once (the last line written for it wins).</summary>
    public static List<StepMetrics> Read(string path)
    {
        var byStep = new SortedDictionary<long, StepMetrics>();
        foreach (var line in File.ReadLines(path))
        {
            if (StepOf(line) is not > 0) continue;
            var m = JsonSerializer.Deserialize<StepMetrics>(line);
            if (m is not null) byStep[m.Step] = m;
        }
        return [.. byStep.Values];
    }

    /// <summary>The held-out loss before the first step, when the run measured one.</summary>
    public static double? ReadInitialEval(string path)
    {
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
            if (StepOf(line) == 0) return JsonSerializer.Deserialize<InitialEval>(line)?.EvalLoss;
        return null;
    }

    /// <summary>The step of a line, or null for a blank or malformed one (such as a line cut short by a crash).</summary>
    private static long? StepOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out long step) ? step : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    private sealed record InitialEval
    {
        [JsonPropertyName("step")] public long Step { get; init; }

        [JsonPropertyName("eval_loss")] public double EvalLoss { get; init; }
    }
}
