using System.Diagnostics;
using System.Globalization;
using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Masking;
using OrtGmt.Models;
using OrtGmt.Randomness;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;

namespace OrtGmt.Bench;

/// <summary>
/// Training-step time of SFT, GMT (r = 0.3: tensor/global scope, freeze/zero-grad) and RMT on
/// built-in models, each as a ratio over SFT measured in the same run. Variants are interleaved
/// round-robin within every repetition, so machine drift hits them alike.
/// </summary>
internal static class StepBench
{
    private sealed record Variant(string Name, TrainingMethod Method, MaskScope Scope, MaskedEntryMode Mode);

    private static readonly Variant[] Variants =
    [
        new("SFT", TrainingMethod.Sft, MaskScope.Tensor, MaskedEntryMode.Freeze),
        new("GMT tensor freeze", TrainingMethod.Gmt, MaskScope.Tensor, MaskedEntryMode.Freeze),
        new("GMT tensor zero-grad", TrainingMethod.Gmt, MaskScope.Tensor, MaskedEntryMode.ZeroGrad),
        new("GMT global freeze", TrainingMethod.Gmt, MaskScope.Global, MaskedEntryMode.Freeze),
        new("GMT global zero-grad", TrainingMethod.Gmt, MaskScope.Global, MaskedEntryMode.ZeroGrad),
        new("RMT tensor freeze", TrainingMethod.Rmt, MaskScope.Tensor, MaskedEntryMode.Freeze),
    ];

    public static int Run(string modelName, int batch, int seq, int repetitions, int stepsPerRepetition, int threads)
    {
        var config = LlamaConfig.LoadNamedOrFile(modelName);
        string dir = Path.Combine(Path.GetTempPath(), "ortgmt-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ModelFolder.Write(Path.Combine(dir, "model"), config, LlamaWeights.Initialize(config));
            string artifacts = Path.Combine(dir, "artifacts");
            var manifest = ArtifactGenerator.Generate(Path.Combine(dir, "model", ModelFolder.ForwardFile), artifacts);
            var inputs = RandomBatch(config.Vocab, batch, seq);
            Console.WriteLine($"model '{modelName}': {manifest.TotalElements:N0} trainable parameters; batch {batch} x {seq}; "
                + $"{threads} threads; {repetitions} repetitions of {stepsPerRepetition} steps; mask ratio 0.3");

            var sessions = new List<(Variant Variant, GmtTrainingSession Session)>();
            foreach (var v in Variants)
            {
                var session = new GmtTrainingSession(GmtCheckpointState.FromArtifacts(artifacts), artifacts, new GmtTrainingSessionOptions
                {
                    Threads = threads,
                    Method = v.Method,
                    MaskRatio = 0.3,
                    MaskScope = v.Scope,
                    MaskMode = v.Mode,
                    Seed = 1,
                });
                session.SetLearningRate(1e-4);
                sessions.Add((v, session));
            }
            var total = Variants.ToDictionary(v => v.Name, _ => new double[repetitions]);
            var optimizer = Variants.ToDictionary(v => v.Name, _ => new double[repetitions]);
            foreach (var (_, session) in sessions) Step(session, inputs);
            for (int r = 0; r < repetitions; r++)
            {
                foreach (var (v, session) in sessions)
                {
                    double stepMs = 0, optMs = 0;
                    for (int s = 0; s < stepsPerRepetition; s++)
                    {
                        var (a, b) = Step(session, inputs);
                        stepMs += a;
                        optMs += b;
                    }
                    total[v.Name][r] = stepMs / stepsPerRepetition;
                    optimizer[v.Name][r] = optMs / stepsPerRepetition;
                }
            }
            Print(total, optimizer, repetitions);
            foreach (var (_, session) in sessions) session.Dispose();
            return 0;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static (double Step, double Optimizer) Step(GmtTrainingSession session, Batch inputs)
    {
        long start = Stopwatch.GetTimestamp();
        session.LazyResetGrad();
        session.TrainStep(inputs);
        long mid = Stopwatch.GetTimestamp();
        session.OptimizerStep();
        long end = Stopwatch.GetTimestamp();
        return (Stopwatch.GetElapsedTime(start, end).TotalMilliseconds, Stopwatch.GetElapsedTime(mid, end).TotalMilliseconds);
    }

    private static void Print(Dictionary<string, double[]> total, Dictionary<string, double[]> optimizer, int repetitions)
    {
        static double Median(IEnumerable<double> xs)
        {
            var s = xs.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
        var sft = total["SFT"];
        double sftStep = Median(sft), sftOptimizer = Median(optimizer["SFT"]);
        Console.WriteLine();
        // The whole-step ratio carries the noise of forward/backward; the last column isolates what the
        // variant changes (mask + optimizer) on top of SFT's forward/backward, from the medians.
        Console.WriteLine("| variant | step ms median | min | max | mask+optimizer ms median | step ratio over SFT (median of per-repetition ratios) | ratio min | ratio max | (SFT fwd/bwd + mask+optimizer) / SFT step |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, ms) in total)
        {
            var ratios = Enumerable.Range(0, repetitions).Select(r => ms[r] / sft[r]).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(ms):F2} | {ms.Min():F2} | {ms.Max():F2} | {Median(optimizer[name]):F2} | {Median(ratios):F3} | {ratios.Min():F3} | {ratios.Max():F3} | {(sftStep - sftOptimizer + Median(optimizer[name])) / sftStep:F3} |"));
        }
    }

    private static Batch RandomBatch(int vocab, int batch, int seq)
    {
        var rng = new Rng(7);
        var ids = new long[batch * seq];
        var labels = new long[batch * seq];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(vocab - 3);
        for (int i = 0; i < ids.Length; i++) labels[i] = (i + 1) % seq == 0 ? ArtifactContract.IgnoreIndex : ids[i + 1];
        return new Batch(ids, labels, null, batch, seq);
    }
}
