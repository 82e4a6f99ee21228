using System.CommandLine;
using System.Text;
using OrtGmt.Data.Synthetic;
using OrtGmt.IO;

namespace OrtGmt.Cli.Commands.Data;

/// <summary>`ortgmt data synth`: writes a synthetic task's samples as JSONL.</summary>
internal static class DataSynthCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "math | code | general | pretrain", Required = true };
        var n = new Option<int>("--n") { Description = "Number of samples", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed (same seed, same samples)" };
        var output = new Option<string>("--out") { Description = "Output JSONL file", Required = true };
        var split = new Option<string>("--split") { Description = "train | test (disjoint: no sample is in both)", DefaultValueFactory = _ => "train" };
        var command = new Command("synth", "Generate a synthetic dataset (math, code, general mixture, pretraining text)") { task, n, seed, output, split };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var t = SyntheticTasks.Get(parse.GetValue(task)!);
            var side = parse.GetValue(split)!.ToLowerInvariant() switch
            {
                "train" => SyntheticSplit.Train,
                "test" => SyntheticSplit.Test,
                var other => throw new Errors.ConfigException("split", $"must be train or test, got '{other}'"),
            };
            string path = parse.GetValue(output)!;
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            int count = 0;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                foreach (var s in SyntheticTasks.Generate(t, parse.GetValue(n), parse.GetValue(seed), side))
                {
                    writer.WriteLine(s.ToJsonLine());
                    count++;
                }
            });
            Console.WriteLine($"wrote {count} {t.Name} samples ({side.ToString().ToLowerInvariant()} split, seed {parse.GetValue(seed)}) to {path}");
            return Cli.Ok;
        }));
        return command;
    }
}
