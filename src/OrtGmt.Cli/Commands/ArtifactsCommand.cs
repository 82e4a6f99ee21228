using System.CommandLine;
using OrtGmt.Artifacts;
using OrtGmt.Config;
using OrtGmt.Optimizers;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt artifacts`: forward model → training, eval, optimizer and mask graphs, manifest, checkpoint.</summary>
internal static class ArtifactsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Forward ONNX model (input_ids → logits)", Required = true };
        var output = new Option<string>("--out") { Description = "Artifact folder to write", Required = true };
        var trainable = new Option<string[]>("--trainable") { Description = "Glob of initializer names to train (repeatable; default: every float initializer that reaches the loss)", AllowMultipleArgumentsPerToken = false };
        var frozen = new Option<string[]>("--frozen") { Description = "Glob of initializer names to keep frozen (repeatable)" };
        var optimizer = new Option<string>("--optimizer") { Description = "adamw or sgd", DefaultValueFactory = _ => "adamw" };
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
                Optimizer = EnumSpelling.Parse<OptimizerKind>(parse.GetValue(optimizer)!, "--optimizer"),
                CategoryRules = [.. (parse.GetValue(category) ?? []).Select(ParameterNaming.ParseRule)],
                Retie = parse.GetValue(retie),
            };
            string outDir = parse.GetValue(output)!;
            var manifest = ArtifactGenerator.Generate(parse.GetValue(model)!, outDir, options);
            Console.WriteLine($"wrote {outDir}: {manifest.Parameters.Length} trainable tensors, {manifest.TotalElements:N0} parameters, {manifest.Frozen.Length} frozen");
            foreach (var w in manifest.Warnings) Console.WriteLine($"note: {w}");
            return Cli.Ok;
        }));
        return command;
    }
}
