using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Randomness;

namespace OrtGmt.Bench;

/// <summary>
/// The GMT mask over one flat buffer on both paths on the CPU: the host (radix select, then the
/// boolean mask) and mask_global_model.onnx on ONNX Runtime's CPU execution provider.
/// </summary>
internal static class GraphMaskBench
{
    public static int Run(long count, double ratio, int repetitions)
    {
        int n = checked((int)count);
        long bytes = 4L * n;
        Console.WriteLine($"# mask bench: {n:N0} floats, mask ratio {ratio}, {repetitions} repetitions after 1 warm-up, ORT intra-op threads 2");
        var rng = new Rng(1);
        var g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float)(rng.NextGaussian() * 1e-3);
        long k = MaskMath.KeepCount(n, ratio);
        var hostMask = new bool[n];
        var graphMask = new bool[n];
        var layout = FlatLayout.Single(n);
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        using var policy = new GmtPolicy(ratio, MaskScope.Global, threads: 2);
        var hostKept = new long[1];
        var host = Timing.Measure("host: exact select (2 threads) + bool mask + kept count", 1, repetitions, () =>
        {
            policy.Select(g, plan);
            plan.WriteBooleans(g, hostMask, hostKept);
        });

        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(GradientMaskGraphs.BuildGlobalScope(layout.AsPairs()).ToByteArray(), options);
        using var gValue = OrtValue.CreateTensorValueFromMemory(g, [n]);
        using var kValue = OrtValue.CreateTensorValueFromMemory(new[] { k }, [1]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(graphMask, [n]);
        var graphKept = new long[1];
        using var keptValue = OrtValue.CreateTensorValueFromMemory(graphKept, [1]);
        using var run = new RunOptions();
        string[] inputs = [GradientMaskGraphs.GradInput, GradientMaskGraphs.KeepCountInput];
        string[] outputs = [GradientMaskGraphs.MaskOutput, GradientMaskGraphs.KeptCountsOutput];
        var graph = Timing.Measure("graph: TopK(sorted=0) + ReduceMin + GreaterOrEqual + kept count on ORT CPU", 1, repetitions, () =>
            session.Run(run, inputs, [gValue, kValue], outputs, [maskValue, keptValue]));
        if (!hostMask.AsSpan().SequenceEqual(graphMask) || hostKept[0] != graphKept[0]) throw new InvalidOperationException("host and graph masks differ");

        Console.WriteLine();
        Console.WriteLine(Timing.Header);
        Console.WriteLine(host.Row(bytes));
        Console.WriteLine(graph.Row(bytes));
        Console.WriteLine();
        Console.WriteLine($"graph/host time, median: {graph.Median / host.Median:F1} (masks identical)");
        return 0;
    }
}
