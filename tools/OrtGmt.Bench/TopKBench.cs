using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Randomness;

namespace OrtGmt.Bench;

/// <summary>
/// The exact top-k threshold over one large flat buffer, beside a plain copy of the same buffer,
/// and the fused masked AdamW pass beside the plain one.
/// </summary>
internal static class TopKBench
{
    public static int Run(long count, double ratio, int repetitions)
    {
        int n = checked((int)count);
        long bytes = 4L * n;
        Console.WriteLine($"# top-k bench: {n:N0} floats ({bytes / 1e6:F0} MB), mask ratio {ratio}, {repetitions} repetitions after 1 warm-up");
        Console.WriteLine($"# {Environment.ProcessorCount} logical processors, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
        var g = Gradients(n);
        var copy = new float[n];
        long k = MaskMath.KeepCount(n, ratio);

        var rows = new List<(Timing T, long Bytes)>();
        rows.Add((Timing.Measure("Span.CopyTo (1 thread)", 1, repetitions, () => g.AsSpan().CopyTo(copy)), bytes));
        using var one = new ThresholdSelector(1);
        float t1 = 0;
        rows.Add((Timing.Measure("top-k threshold, exact select (1 thread)", 1, repetitions, () => t1 = one.Select(g, k)), bytes));
        using var two = new ThresholdSelector(2);
        float t2 = 0;
        rows.Add((Timing.Measure("top-k threshold, exact select (2 threads)", 1, repetitions, () => t2 = two.Select(g, k)), bytes));
        if (t1 != t2) throw new InvalidOperationException($"thresholds differ: {t1} vs {t2}");
        long kept = g.LongCount(x => MathF.Abs(x) >= t1);
        Console.WriteLine($"# threshold {t1:R}, k = {k:N0}, kept {kept:N0}");

        var p = Gradients(n, seed: 2);
        var opt = new AdamW(n);
        var layout = FlatLayout.Single(n);
        var freeze = new GradientMask(layout, MaskedEntryMode.Freeze);
        freeze.Keep[0] = SegmentKeep.Threshold;
        freeze.Thresholds[0] = t1;
        var zero = new GradientMask(layout, MaskedEntryMode.ZeroGrad);
        zero.Keep[0] = SegmentKeep.Threshold;
        zero.Thresholds[0] = t1;
        // AdamW reads θ, g, m, v and writes θ, m, v: 28 bytes an entry; GB/s counts all of them.
        long adamBytes = 28L * n;
        // The fused passes also count the kept entries, as a training step has them do.
        var keptCounts = new long[1];
        var plain = Timing.Measure("AdamW pass, no mask", 1, repetitions, () => opt.Step(p, g, 1e-6));
        var fusedFreeze = Timing.Measure("AdamW pass fused with mask, freeze", 1, repetitions, () => opt.Step(p, g, 1e-6, freeze, keptCounts));
        var fusedZero = Timing.Measure("AdamW pass fused with mask, zero-grad", 1, repetitions, () => opt.Step(p, g, 1e-6, zero, keptCounts));
        using var gmt = new GmtPolicy(ratio, MaskScope.Tensor, threads: 2);
        var plan = new GradientMask(layout, MaskedEntryMode.Freeze);
        var whole = Timing.Measure("GMT step: select (2 threads) + fused AdamW, freeze", 1, repetitions, () =>
        {
            gmt.Select(g, plan);
            opt.Step(p, g, 1e-6, plan, keptCounts);
        });

        Console.WriteLine();
        Console.WriteLine(Timing.Header);
        foreach (var (t, b) in rows) Console.WriteLine(t.Row(b));
        foreach (var t in new[] { plain, fusedFreeze, fusedZero, whole }) Console.WriteLine(t.Row(adamBytes));
        Console.WriteLine();
        Console.WriteLine($"fused/plain AdamW time, median: freeze {fusedFreeze.Median / plain.Median:F2}, zero-grad {fusedZero.Median / plain.Median:F2}; kept {keptCounts[0]:N0} (counted by the fused pass), {kept:N0} by a separate count");
        Console.WriteLine($"top-k select / copy time, median: 1 thread {rows[1].T.Median / rows[0].T.Median:F2}, 2 threads {rows[2].T.Median / rows[0].T.Median:F2}");
        return 0;
    }

    // Gradient-like values: Gaussian with a spread of magnitudes, as accumulated gradients have.
    private static float[] Gradients(int n, ulong seed = 1)
    {
        var rng = new Rng(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextGaussian() * 1e-3);
        return x;
    }
}
