using System.CommandLine;
using System.Text;
using OrtGmt.Config;
using OrtGmt.Data.Synthetic;
using OrtGmt.IO;
using OrtGmt.Recipes;

namespace OrtGmt.Cli.Commands.Data;

/// <summary>`ortgmt data synth`: writes a synthetic task's samples as JSONL.</summary>
internal static class DataSynthCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "math | code | general | pretrain", Required = true };
        var n = Flags.RequiredNumber<int>("--n", "Number of samples");
        var seed = Flags.Number("--seed", "Seed (same seed, same samples; the default is train's)", TrainConfig.DefaultSeed);
        var output = new Option<string>("--out") { Description = "Output JSONL file", Required = true };
        var split = Flags.Choice("--split", "Which side of the split (disjoint: no sample is in both)", SyntheticSplit.Train);
        var command = new Command("synth", "Generate a synthetic dataset (math, code, general mixture, pretraining text)") { task, n, seed, output, split };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var t = SyntheticTasks.Get(parse.GetValue(task)!);
            var side = parse.GetValue(split);
            int samples = parse.GetValue(n);
            if (samples < 1) throw new Errors.ConfigException("--n", $"must be at least 1, got {samples}");
            string path = OutputPaths.File(parse.GetValue(output)!, "--out");
            int count = 0;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                foreach (var s in SyntheticTasks.Generate(t, samples, parse.GetValue(seed), side))
                {
                    writer.WriteLine(s.ToJsonLine());
                    count++;
                }
            });
            Console.WriteLine($"wrote {Words.Count(count, t.Name + " sample")} ({EnumSpelling.Of(side)} split, seed {parse.GetValue(seed)}) to {path}");
            return Cli.Ok;
        }));
        return command;
    }
}
