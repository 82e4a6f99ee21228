using System.CommandLine;
using OrtGmt.Models;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt init-model`: writes a freshly initialised built-in model (forward.onnx, model.safetensors, config.json).</summary>
internal static class InitModelCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "Model config: a JSON file, or a built-in name (" + string.Join(", ", LlamaConfig.BuiltInNames) + ")",
            DefaultValueFactory = _ => "tiny",
        };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var seed = Flags.OptionalNumber<ulong>("--seed", "Override the config's initialisation seed");
        var command = new Command("init-model", "Write a freshly initialised built-in Llama-style model") { config, output, seed };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var c = LlamaConfig.LoadNamedOrFile(parse.GetValue(config)!);
            if (parse.GetValue(seed) is { } s) c = c with { Seed = s };
            string dir = OutputPaths.Folder(parse.GetValue(output)!, "--out");
            var weights = LlamaWeights.Initialize(c);
            ModelFolder.Write(dir, c, weights);
            long count = weights.Values.Sum(w => (long)w.Length);
            Console.WriteLine($"wrote {Path.Combine(dir, ModelFolder.ForwardFile)}, {ModelFolder.WeightsFile}, {ModelFolder.ConfigFile}: "
                + $"{Words.Count(c.Layers, "layer")}, d_model {c.DModel}, {count:N0} parameters");
            return Cli.Ok;
        }));
        return command;
    }
}
