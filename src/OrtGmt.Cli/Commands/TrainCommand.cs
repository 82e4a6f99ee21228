using System.CommandLine;
using OrtGmt.Cli.Reports;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Recipes;
using OrtGmt.Training;
using OrtGmt.Training.Metrics;
using Spectre.Console;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt train`: the main job. Without a config it trains the built-in tiny model on the synthetic math task with GMT.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Run config (JSON); every field is optional, paths are relative to the file (see the README)" };
        var method = Flags.OptionalChoice<TrainingMethod>("--method", "Override the method");
        var ratio = Flags.OptionalNumber<double>("--mask-ratio", "Override: share of gradient entries masked, in [0, 1) (gmt, rmt)");
        var steps = Flags.OptionalNumber<int>("--max-steps", "Override: optimizer steps");
        var output = new Option<string?>("--output-dir") { Description = "Override: run folder" };
        var resume = new Option<string?>("--resume") { Description = "Resume from a checkpoint folder, or 'latest' in the run folder" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start afresh in a run folder that holds an earlier run's checkpoints, deleting them" };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip malformed data lines (counted and shown) instead of stopping at the first" };
        var command = new Command("train", "Train with GMT (or a baseline) and write checkpoints, metrics.jsonl, plots and the final model")
        {
            config, method, ratio, steps, output, resume, overwrite, skipBad,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var c = parse.GetValue(config) is { } path ? TrainConfig.Load(path) : new TrainConfig();
            // Which flag set which field, so an error about the field names the flag the user typed.
            var flags = new Dictionary<string, string>();
            if (parse.GetValue(method) is { } m) (c, flags["method"]) = (c with { Method = m }, "--method");
            if (parse.GetValue(ratio) is { } r) (c, flags["mask_ratio"]) = (c with { MaskRatio = r }, "--mask-ratio");
            if (parse.GetValue(steps) is { } s) (c, flags["max_steps"]) = (c with { MaxSteps = s }, "--max-steps");
            if (parse.GetValue(output) is { } o) (c, flags["output_dir"]) = (c with { OutputDir = o }, "--output-dir");
            if (parse.GetValue(resume) is { } res) (c, flags["resume_from_checkpoint"]) = (c with { ResumeFromCheckpoint = res }, "--resume");
            if (parse.GetValue(overwrite)) c = c with { OverwriteOutputDir = true };
            if (parse.GetValue(skipBad)) c = c with { SkipBadLines = true };
            // The built-in demo (no config, no folder) is reproducible, so re-running it replaces its own run.
            if (parse.GetValue(output) is null && parse.GetValue(config) is null)
                c = c with { OutputDir = Path.Combine("runs", EnumSpelling.Of(c.Method)), OverwriteOutputDir = true };
            try
            {
                c.Validate();
                var (result, paths) = RunWithProgress(c);
                Report(c, result, paths);
            }
            catch (ConfigException e) when (e.ConfigFile is null && flags.TryGetValue(e.Field, out var flag))
            {
                throw e.AsFlag(flag);
            }
            return Cli.Ok;
        }));
        return command;
    }

    private static (TrainResult, RunPaths) RunWithProgress(TrainConfig config)
    {
        // Redirected output reports an 80-column console; keep log lines (paths, data counts) on one line.
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine($"[bold]ortgmt train[/]: method [green]{EnumSpelling.Of(config.Method)}[/]"
            + (config.Method is TrainingMethod.Gmt or TrainingMethod.Rmt
                ? $" (mask ratio {config.MaskRatio}, {EnumSpelling.Of(config.MaskScope)} scope, {EnumSpelling.Of(config.MaskMode)})" : "")
            + $", model {Markup.Escape(config.Model)}, data {Markup.Escape(config.TrainData)}, run folder {Markup.Escape(config.OutputDir)}");
        if (!AnsiConsole.Profile.Capabilities.Interactive) return RunPlain(config);
        (TrainResult, RunPaths) outcome = default;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                double? eval = null;
                var hooks = new TrainRecipe.Hooks
                {
                    OnInfo = line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"),
                    OnStart = (total, start) =>
                    {
                        task = ctx.AddTask("training", maxValue: total);
                        task.Value = start;
                    },
                    OnEval = (_, loss) => eval = loss,
                    OnStep = m =>
                    {
                        if (task is null) return;
                        task.Value = m.Step;
                        task.Description = $"loss {m.Loss:F3} lr {m.LearningRate:G3} {m.TokensPerSecond:N0} tok/s kept {m.Kept:P0}"
                            + (eval is { } e ? $" eval {e:F3}" : "");
                    },
                };
                outcome = TrainRecipe.Run(config, hooks);
            });
        return outcome;
    }

    private static (TrainResult, RunPaths) RunPlain(TrainConfig config)
    {
        long every = 1;
        var hooks = new TrainRecipe.Hooks
        {
            OnInfo = Console.WriteLine,
            OnStart = (total, start) => every = Math.Max(1, total / 20),
            OnEval = (step, loss) => Console.WriteLine($"step {step,6}  eval loss {loss:F4}"),
            OnStep = m =>
            {
                if (m.Step % every == 0)
                    Console.WriteLine($"step {m.Step,6}  loss {m.Loss:F4}  lr {m.LearningRate:G3}  grad norm {m.GradNorm:G3}  kept {m.Kept:P1}  {m.TokensPerSecond:N0} tok/s");
            },
        };
        return TrainRecipe.Run(config, hooks);
    }

    private static void Report(TrainConfig config, TrainResult result, RunPaths paths)
    {
        AnsiConsole.Write(ResultsTable.Build(result));
        if (config.Plots)
        {
            var steps = MetricsLog.Read(paths.Metrics);
            Plots.Loss(steps, MetricsLog.ReadInitialEval(paths.Metrics), Path.Combine(paths.RunDir, "loss.png"), $"{EnumSpelling.Of(result.Method)}: loss");
            Plots.UpdateDensity(steps, Path.Combine(paths.RunDir, "update_density.png"), $"{EnumSpelling.Of(result.Method)}: share of entries updated per layer");
        }
        string shown = Path.GetRelativePath(Environment.CurrentDirectory, paths.RunDir);
        if (shown.StartsWith("..", StringComparison.Ordinal)) shown = paths.RunDir;
        Console.WriteLine($"run folder: {shown} (metrics.jsonl, checkpoints, final/{(config.Plots ? ", loss.png, update_density.png" : "")})");
    }
}
