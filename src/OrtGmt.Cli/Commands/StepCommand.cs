using System.CommandLine;
using OrtGmt.Config;
using OrtGmt.Data.Batching;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Training;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt step`: exactly one optimizer step on one batch from the artifacts' checkpoint, to see what one GMT step does.</summary>
internal static class StepCommand
{
    public static Command Create()
    {
        var artifacts = new Option<string>("--artifacts") { Description = "Artifact folder", Required = true };
        var batch = new Option<string>("--batch") { Description = "Batch file (safetensors: input_ids, labels)", Required = true };
        var method = new Option<string>("--method") { Description = "sft, gmt or rmt", DefaultValueFactory = _ => "gmt" };
        var ratio = new Option<double>("--ratio") { Description = "Mask ratio r: share of gradient entries masked", DefaultValueFactory = _ => 0.3 };
        var scope = new Option<string>("--scope") { Description = "tensor or global", DefaultValueFactory = _ => "tensor" };
        var mode = new Option<string>("--mode") { Description = "freeze or zero-grad", DefaultValueFactory = _ => "freeze" };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd or adamw", DefaultValueFactory = _ => "sgd" };
        var lr = new Option<double>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random mask (rmt)", DefaultValueFactory = _ => 0 };
        var graph = new Option<bool>("--graph") { Description = "Run mask and optimizer as ONNX graphs instead of the host pass" };
        var output = new Option<string>("--out") { Description = "Output safetensors with the updated parameters", Required = true };
        var command = new Command("step", "One optimizer step on one batch (no accumulation, schedule or clipping); writes the new parameters")
        {
            artifacts, batch, method, ratio, scope, mode, optimizer, lr, seed, graph, output,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string dir = parse.GetValue(artifacts)!;
            var state = CheckpointState.FromArtifacts(dir);
            var inputs = BatchFile.Read(parse.GetValue(batch)!);
            inputs.Validate(GradCommand.VocabOf(state));
            var m = EnumSpelling.Parse<TrainingMethod>(parse.GetValue(method)!, "--method");
            if (m == TrainingMethod.Hft) throw new Errors.ConfigException("--method", "hft freezes whole tensors for a run; use `ortgmt train` for it");
            var options = new TrainingSessionOptions
            {
                Optimizer = EnumSpelling.Parse<OptimizerKind>(parse.GetValue(optimizer)!, "--optimizer"),
                Method = m,
                MaskRatio = parse.GetValue(ratio),
                MaskScope = EnumSpelling.Parse<MaskScope>(parse.GetValue(scope)!, "--scope"),
                MaskMode = EnumSpelling.Parse<MaskedEntryMode>(parse.GetValue(mode)!, "--mode"),
                Seed = parse.GetValue(seed),
                UpdateStep = parse.GetValue(graph) ? UpdateStepKind.Graph : UpdateStepKind.Host,
            };
            using var session = new TrainingSession(state, dir, options);
            session.SetLearningRate(parse.GetValue(lr));
            float loss = session.TrainStep(inputs);
            var report = session.OptimizerStep();
            ParameterFile.Write(parse.GetValue(output)!, session.Parameters, state.Manifest.Parameters);
            Console.WriteLine($"loss {loss:F6}, grad norm {report.GradNorm:G6}, kept {report.Kept.Share:P2} of entries; wrote {parse.GetValue(output)}");
            return Cli.Ok;
        }));
        return command;
    }
}
