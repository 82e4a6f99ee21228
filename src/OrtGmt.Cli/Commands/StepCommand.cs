using System.CommandLine;
using OrtGmt.Data.Batching;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

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
            var state = GmtCheckpointState.FromArtifacts(dir);
            var inputs = BatchFile.Read(parse.GetValue(batch)!);
            inputs.Validate(GradCommand.VocabOf(state));
            var micro = Split(inputs, n);
            var options = new GmtTrainingSessionOptions
            {
                Optimizer = parse.GetValue(optimizer),
                Method = m,
                MaskRatio = r,
                MaskScope = parse.GetValue(scope),
                MaskMode = parse.GetValue(mode),
                Seed = parse.GetValue(seed),
                UpdateStep = parse.GetValue(graph) ? UpdateStepKind.Graph : UpdateStepKind.Host,
            };
            using var session = new GmtTrainingSession(state, dir, options);
            session.SetLearningRate(rate);
            for (int step = 1; step <= k; step++)
            {
                session.LazyResetGrad();
                double loss = 0;
                foreach (var part in micro) loss += session.TrainStep(part);
                var report = session.OptimizerStep();
                Console.WriteLine($"step {step}/{k}: loss {loss / n:F6}, grad norm {report.GradNorm:G6}, kept {report.Kept.Share:P2} of entries"
                    + (report.Skipped ? " (skipped: non-finite gradient)" : ""));
            }
            ParameterFile.Write(outPath, session.Parameters, state.Manifest.Parameters);
            Console.WriteLine($"wrote {outPath}");
            return Cli.Ok;
        }));
        return command;
    }

    /// <summary>The batch's rows in <paramref name="parts"/> equal micro-batches, in order.</summary>
    internal static Batch[] Split(Batch batch, int parts)
    {
        if (batch.BatchSize % parts != 0)
            throw new ConfigException("--accum", $"the batch has {batch.BatchSize} rows, which do not split into {parts} equal micro-batches");
        int rows = batch.BatchSize / parts, span = rows * batch.SequenceLength;
        return [.. Enumerable.Range(0, parts).Select(i => new Batch(
            batch.InputIds.AsSpan(i * span, span).ToArray(),
            batch.Labels.AsSpan(i * span, span).ToArray(),
            batch.AttentionMask?.AsSpan(i * span, span).ToArray(),
            rows, batch.SequenceLength))];
    }
}
