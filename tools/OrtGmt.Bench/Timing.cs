using System.Diagnostics;

namespace OrtGmt.Bench;

/// <summary>Median, min and max wall time of repeated runs after warm-up runs.</summary>
internal sealed record Timing(string Name, double[] Milliseconds)
{
    public double Median
    {
        get
        {
            var s = Milliseconds.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }

    public double Min => Milliseconds.Min();

    public double Max => Milliseconds.Max();

    public static Timing Measure(string name, int warmup, int repetitions, Action action)
    {
        for (int i = 0; i < warmup; i++) action();
        var ms = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new Timing(name, ms);
    }

    /// <summary>A table row: times, and GB/s (10^9 bytes) for <paramref name="bytes"/> per run, best and median.</summary>
    public string Row(long bytes) =>
        $"| {Name} | {Median:F1} | {Min:F1} | {Max:F1} | {bytes / (Median * 1e6):F2} | {bytes / (Min * 1e6):F2} |";

    public const string Header = "| what | median ms | min ms | max ms | GB/s (median) | GB/s (best) |\n|---|---:|---:|---:|---:|---:|";
}
