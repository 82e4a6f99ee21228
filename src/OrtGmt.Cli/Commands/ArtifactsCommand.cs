using System.CommandLine;
using OrtGmt.Artifacts;
using OrtGmt.Optimizers;
using OrtGmt.Recipes;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt artifacts`: forward model → training, eval, optimizer and mask graphs, manifest, checkpoint.</summary>
internal static class ArtifactsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Forward ONNX model (input_ids → logits), or a model folder holding forward.onnx", Required = true };
        var output = new Option<string>("--out") { Description = "Artifact folder to write", Required = true };
        var trainable = new Option<string[]>("--trainable") { Description = "Glob of initializer names to train (repeatable; default: every float initializer that reaches the loss)", AllowMultipleArgumentsPerToken = false };
        var frozen = new Option<string[]>("--frozen") { Description = "Glob of initializer names to keep frozen (repeatable)" };
        var optimizer = Flags.Choice("--optimizer", "Optimizer the optimizer graph implements", OptimizerKind.AdamW);
        var category = new Option<string[]>("--category") { Description = "Category rule REGEX=embed|attn|mlp|norm|head|other, tried before the built-in rules (repeatable)" };
        var retie = new Option<bool>("--retie") { Description = "Re-tie weights that the exporter's constant folding untied" };
        var command = new Command("artifacts", "Generate training artifacts (gradient graph, optimizer and mask graphs, manifest, checkpoint) from a forward model")
        {
            model, output, trainable, frozen, optimizer, category, retie,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var options = new ArtifactOptions
            {
                Trainable = parse.GetValue(trainable) ?? [],
                Frozen = parse.GetValue(frozen) ?? [],
                Optimizer = parse.GetValue(optimizer),
                CategoryRules = [.. (parse.GetValue(category) ?? []).Select(ParameterNaming.ParseRule)],
                Retie = parse.GetValue(retie),
            };
            string outDir = OutputPaths.Folder(parse.GetValue(output)!, "--out");
            string forward = ModelSource.ForwardOnnx(parse.GetValue(model)!, "--model");
            var manifest = ArtifactGenerator.Generate(forward, outDir, options);
            Console.WriteLine($"wrote {outDir}: {Words.Count(manifest.Parameters.Length, "trainable tensor")}, {Words.Count(manifest.TotalElements, "parameter")}, {manifest.Frozen.Length} frozen");
            foreach (var w in manifest.Warnings) Console.WriteLine($"note: {w}");
            return Cli.Ok;
        }));
        return command;
    }
}
