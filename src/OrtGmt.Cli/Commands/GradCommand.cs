using System.CommandLine;
using OrtGmt.Data.Batching;
using OrtGmt.SafeTensors;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Session;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt grad`: one forward/backward on a batch from the artifacts' checkpoint; writes the loss and every gradient.</summary>
internal static class GradCommand
{
    public static Command Create()
    {
        var artifacts = new Option<string>("--artifacts") { Description = "Artifact folder", Required = true };
        var batch = new Option<string>("--batch") { Description = "Batch file (safetensors: input_ids, labels int64 [batch, seq])", Required = true };
        var output = new Option<string>("--out") { Description = "Output safetensors: loss and one gradient per parameter", Required = true };
        var threads = Flags.Number<int>("--threads", "Intra-op threads (0 = all cores)");
        var command = new Command("grad", "Compute the loss and gradients of one batch") { artifacts, batch, output, threads };
        command.SetAction(parse => Cli.Guard(() =>
        {
            string outPath = OutputPaths.File(parse.GetValue(output)!, "--out");
            var state = GmtCheckpointState.FromArtifacts(parse.GetValue(artifacts)!);
            var inputs = BatchFile.Read(parse.GetValue(batch)!);
            inputs.Validate(VocabOf(state));
            using var session = new GmtTrainingSession(state, parse.GetValue(artifacts)!, new GmtTrainingSessionOptions { Threads = parse.GetValue(threads) });
            float loss = session.TrainStep(inputs);
            var grads = session.Gradients;
            var tensors = new List<SafeTensor> { SafeTensor.FromFloats("loss", [], [loss]) };
            foreach (var p in state.Manifest.Parameters)
                tensors.Add(SafeTensor.FromFloats(p.Name, p.Shape, grads.Slice((int)p.Offset, (int)p.Numel)));
            SafeTensorsFile.Write(outPath, tensors);
            Console.WriteLine($"loss {loss:F6}; wrote {tensors.Count - 1} gradients to {outPath}");
            return Cli.Ok;
        }));
        return command;
    }

    /// <summary>The vocabulary size the labels are checked against (unbounded when the model does not state it).</summary>
    internal static int VocabOf(GmtCheckpointState state) => state.Manifest.Vocab ?? int.MaxValue;
}
