using System.CommandLine;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.SafeTensors;

namespace OrtGmt.Cli.Commands;

/// <summary>
/// `ortgmt drop`: One-off Drop and the drop-strategy analysis — reset a share of the fine-tuning
/// delta of every float32 tensor to the base model's values and write the result.
/// </summary>
internal static class DropCommand
{
    public static Command Create()
    {
        var baseFile = new Option<string>("--base") { Description = "Pretrained parameters (safetensors)", Required = true };
        var tunedFile = new Option<string>("--tuned") { Description = "Fine-tuned parameters (safetensors, same names and shapes)", Required = true };
        var ratio = Flags.RequiredNumber<double>("--ratio", "Share of delta entries to drop, in [0, 1)");
        var strategy = Flags.Choice("--strategy", "trivial: smallest |delta|; random: by seed; salient: largest |delta|", DropStrategy.Trivial);
        var scope = Flags.Choice("--scope", "A cut per tensor or one over all tensors", MaskScope.Tensor);
        var seed = Flags.Number<ulong>("--seed", "Seed of the random strategy");
        var output = new Option<string>("--out") { Description = "Output file (safetensors)", Required = true };
        var command = new Command("drop", "One-off Drop: reset a share of (tuned - base) to the base values") { baseFile, tunedFile, ratio, strategy, scope, seed, output };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var s = parse.GetValue(strategy);
            var sc = parse.GetValue(scope);
            double r = parse.GetValue(ratio);
            if (!(r >= 0 && r < 1)) throw new ConfigException("--ratio", $"must be in [0, 1), got {r}");
            string outPath = OutputPaths.File(parse.GetValue(output)!, "--out");
            string basePath = parse.GetValue(baseFile)!, tunedPath = parse.GetValue(tunedFile)!;
            var pre = SafeTensorsFile.ReadDictionary(basePath);
            var tuned = SafeTensorsFile.Read(tunedPath);
            var floats = tuned.Where(t => t.DType == SafeTensorDType.F32).ToList();
            foreach (var t in tuned)
            {
                if (!pre.TryGetValue(t.Name, out var p))
                    throw new InvalidFileException(basePath, $"has no tensor '{t.Name}' (present in {tunedPath})");
                if (p.DType != t.DType || !p.Shape.SequenceEqual(t.Shape))
                    throw new InvalidFileException(basePath, $"tensor '{t.Name}' is {p.DType}[{string.Join(", ", p.Shape)}], in {tunedPath} {t.DType}[{string.Join(", ", t.Shape)}]");
            }
            var (dropped, count) = DeltaDrop.ApplyAll([.. floats.Select(t => pre[t.Name].ToFloats())], [.. floats.Select(t => t.ToFloats())],
                r, s, sc, parse.GetValue(seed));
            var byName = floats.Select((t, i) => (t.Name, Values: dropped[i])).ToDictionary(x => x.Name, x => x.Values);
            var result = tuned.Select(t => byName.TryGetValue(t.Name, out var v) ? SafeTensor.FromFloats(t.Name, t.Shape, v) : t);
            SafeTensorsFile.Write(outPath, result);
            long total = floats.Sum(t => t.ElementCount);
            Console.WriteLine($"wrote {outPath}: dropped {count:N0} of {total:N0} delta entries ({EnumSpelling.Of(s)}, {EnumSpelling.Of(sc)} scope) over {floats.Count} tensors");
            return Cli.Ok;
        }));
        return command;
    }
}
