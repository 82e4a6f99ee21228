using System.Diagnostics;

namespace OrtGmt.Bench;

/// <summary>Median, min and max wall time of repeated runs after warm-up runs.</summary>
internal sealed record Timing(string Name, double[] Milliseconds, double[] CpuMilliseconds)
{
    public double Median => MedianOf(Milliseconds);

    /// <summary>Median CPU time of the whole process over the run (all its threads): above wall time when work is parallel.</summary>
    public double CpuMedian => MedianOf(CpuMilliseconds);

    private static double MedianOf(double[] values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public double Min => Milliseconds.Min();

    public double Max => Milliseconds.Max();

    public static Timing Measure(string name, int warmup, int repetitions, Action action)
    {
        for (int i = 0; i < warmup; i++) action();
        var ms = new double[repetitions];
        var cpu = new double[repetitions];
        using var self = Process.GetCurrentProcess();
        for (int i = 0; i < repetitions; i++)
        {
            self.Refresh();
            var cpuStart = self.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            self.Refresh();
            cpu[i] = (self.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }
        return new Timing(name, ms, cpu);
    }

    /// <summary>A table row: times, and GB/s (10^9 bytes) for <paramref name="bytes"/> per run, best and median.</summary>
    public string Row(long bytes) =>
        $"| {Name} | {Median:F1} | {Min:F1} | {Max:F1} | {CpuMedian:F0} | {bytes / (Median * 1e6):F2} | {bytes / (Min * 1e6):F2} |";

    public const string Header = "| what | median ms | min ms | max ms | CPU ms (median) | GB/s (median) | GB/s (best) |\n|---|---:|---:|---:|---:|---:|---:|";
}
