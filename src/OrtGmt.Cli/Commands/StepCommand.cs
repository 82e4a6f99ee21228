using System.CommandLine;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Training;

namespace OrtGmt.Cli.Commands;

/// <summary>
/// `ortgmt step`: K optimizer steps on one batch file from the artifacts' checkpoint, each over N
/// micro-batches cut along the batch axis, with a constant learning rate and the optimizer's moments
/// carried from step to step — what GMT does, checkable from outside one step or a few at a time.
/// </summary>
internal static class StepCommand
{
    public static Command Create()
    {
        var artifacts = new Option<string>("--artifacts") { Description = "Artifact folder", Required = true };
        var batch = new Option<string>("--batch") { Description = "Batch file (safetensors: input_ids, labels)", Required = true };
        var method = Flags.Choice("--method", "Method (hft needs a run: use train)", TrainingMethod.Gmt);
        var ratio = Flags.Number("--ratio", "Mask ratio r: share of gradient entries masked, in [0, 1)", 0.3);
        var scope = Flags.Choice("--scope", "Threshold per tensor or over all entries", MaskScope.Tensor);
        var mode = Flags.Choice("--mode", "What a masked entry gets", MaskedEntryMode.Freeze);
        var optimizer = Flags.Choice("--optimizer", "Optimizer", OptimizerKind.Sgd);
        var lr = Flags.Number("--lr", "Learning rate (constant: no schedule)", 1e-3);
        var seed = Flags.Number<ulong>("--seed", "Seed of the random mask (rmt)");
        var steps = Flags.Number("--steps", "Optimizer steps K, all on the same batch", 1);
        var accum = Flags.Number("--accum", "Micro-batches N per step: the batch's rows split evenly; the step uses their mean gradient", 1);
        var graph = new Option<bool>("--graph") { Description = "Run mask and optimizer as ONNX graphs instead of the host pass" };
        var output = new Option<string>("--out") { Description = "Output safetensors with the updated parameters", Required = true };
        var command = new Command("step", "K optimizer steps on one batch, N micro-batches each (no schedule or clipping); writes the new parameters")
        {
            artifacts, batch, method, ratio, scope, mode, optimizer, lr, seed, steps, accum, graph, output,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var m = parse.GetValue(method);
            double r = parse.GetValue(ratio), rate = parse.GetValue(lr);
            int k = parse.GetValue(steps), n = parse.GetValue(accum);
            if (m == TrainingMethod.Hft) throw new ConfigException("--method", "hft freezes whole tensors for a run; use `ortgmt train` for it");
            if (!(r >= 0 && r < 1)) throw new ConfigException("--ratio", $"must be in [0, 1), got {r}");
            if (!(rate > 0) || !double.IsFinite(rate)) throw new ConfigException("--lr", $"must be positive, got {rate}");
            if (k < 1) throw new ConfigException("--steps", $"must be at least 1, got {k}");
            if (n < 1) throw new ConfigException("--accum", $"must be at least 1, got {n}");
            string outPath = OutputPaths.File(parse.GetValue(output)!, "--out");

            string dir = parse.GetValue(artifacts)!;
            var state = CheckpointState.FromArtifacts(dir);
            var inputs = BatchFile.Read(parse.GetValue(batch)!);
            inputs.Validate(GradCommand.VocabOf(state));
            var micro = Split(inputs, n);
            var policy = MaskPolicies.Create(Spellings.Name(m), r, parse.GetValue(scope), parse.GetValue(seed), state.Manifest);
            using var disposePolicy = policy as IDisposable;
            var options = new TrainingSessionOptions
            {
                Optimizer = Spellings.Name(parse.GetValue(optimizer)),
                Mask = policy,
                MaskMode = parse.GetValue(mode),
                GraphOptimizer = parse.GetValue(graph),
            };
            using var session = new TrainingSession(state, dir, options);
            session.SetLearningRate(rate);
            var kept = new long[state.Manifest.Parameters.Length];
            for (int step = 1; step <= k; step++)
            {
                session.LazyResetGrad();
                double loss = 0;
                foreach (var part in micro) loss += session.TrainStep(part);
                var report = session.OptimizerStep();
                session.CountKept(kept);
                Console.WriteLine($"step {step}/{k}: loss {loss / n:F6}, grad norm {report.GradNorm:G6}, kept {kept.Sum() / (double)state.Manifest.TotalElements:P2} of entries"
                    + (report.Skipped ? " (skipped: non-finite gradient)" : ""));
            }
            ParameterFile.Write(outPath, session.Parameters, state.Manifest.Parameters);
            Console.WriteLine($"wrote {outPath}");
            return Cli.Ok;
        }));
        return command;
    }

    /// <summary>The batch's rows in <paramref name="parts"/> equal micro-batches, in order.</summary>
    internal static TrainingInputs[] Split(TrainingInputs batch, int parts)
    {
        if (batch.BatchSize % parts != 0)
            throw new ConfigException("--accum", $"the batch has {batch.BatchSize} rows, which do not split into {parts} equal micro-batches");
        int rows = batch.BatchSize / parts, span = rows * batch.SequenceLength;
        return [.. Enumerable.Range(0, parts).Select(i => new TrainingInputs(
            batch.InputIds.Slice(i * span, span),
            batch.Labels.Slice(i * span, span),
            batch.AttentionMask.IsEmpty ? batch.AttentionMask : batch.AttentionMask.Slice(i * span, span),
            rows, batch.SequenceLength))];
    }
}
