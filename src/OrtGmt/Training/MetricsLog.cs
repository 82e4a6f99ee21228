using System.Text.Json;
using OrtGmt.Training.Metrics;

namespace OrtGmt.Training;

/// <summary>Appends one JSON object per line to metrics.jsonl, flushed every line so a crash loses nothing.</summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens <paramref name="path"/>; <paramref name="append"/> keeps earlier lines (resume).</summary>
    public MetricsLog(string path, bool append)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append) { AutoFlush = true };
    }

    /// <summary>Writes one record.</summary>
    public void Write<T>(T record) => _writer.WriteLine(JsonSerializer.Serialize(record));

    /// <summary>Reads every step record of a metrics file (lines that are not step records are skipped).</summary>
    public static List<StepMetrics> Read(string path)
    {
        var list = new List<StepMetrics>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var m = JsonSerializer.Deserialize<StepMetrics>(line);
            if (m is not null && m.Step > 0) list.Add(m);
        }
        return list;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
