using System.CommandLine;
using OrtGmt.Cli.Reports;
using OrtGmt.Config;
using OrtGmt.Training;
using Spectre.Console;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt train`: the main job. Without a config it trains the built-in tiny model on the synthetic math task with GMT.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Run config (JSON); every field is optional, see the README" };
        var method = new Option<string?>("--method") { Description = "Override: sft, gmt, rmt or hft" };
        var ratio = new Option<double?>("--mask-ratio") { Description = "Override: mask ratio" };
        var steps = new Option<int?>("--max-steps") { Description = "Override: optimizer steps" };
        var output = new Option<string?>("--output-dir") { Description = "Override: run folder" };
        var resume = new Option<string?>("--resume") { Description = "Resume from a checkpoint folder, or 'latest' in the run folder" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start afresh in a run folder that holds an earlier run's checkpoints, deleting them" };
        var command = new Command("train", "Train with GMT (or a baseline) and write checkpoints, metrics.jsonl, plots and the final model")
        {
            config, method, ratio, steps, output, resume, overwrite,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var c = parse.GetValue(config) is { } path ? TrainConfig.Load(path) : new TrainConfig();
            if (parse.GetValue(method) is { } m) c = c with { Method = m };
            if (parse.GetValue(ratio) is { } r) c = c with { MaskRatio = r };
            if (parse.GetValue(steps) is { } s) c = c with { MaxSteps = s };
            if (parse.GetValue(output) is { } o) c = c with { OutputDir = o };
            if (parse.GetValue(resume) is { } res) c = c with { ResumeFromCheckpoint = res };
            if (parse.GetValue(overwrite)) c = c with { OverwriteOutputDir = true };
            // The built-in demo (no config, no folder) is reproducible, so re-running it replaces its own run.
            if (parse.GetValue(output) is null && parse.GetValue(config) is null) c = c with { OutputDir = Path.Combine("runs", c.Method), OverwriteOutputDir = true };
            c.Validate("command line");
            var (result, paths) = RunWithProgress(c);
            Report(c, result, paths);
            return Cli.Ok;
        }));
        return command;
    }

    private static (TrainResult, RunPaths) RunWithProgress(TrainConfig config)
    {
        // Redirected output reports an 80-column console; a log line can be as wide as the table.
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine($"[bold]ortgmt train[/]: method [green]{config.Method}[/]"
            + (config.Method is "gmt" or "rmt" ? $" (mask ratio {config.MaskRatio}, {config.MaskScope} scope, {config.MaskMode})" : "")
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

        var table = new Table().AddColumn("method").AddColumn("steps").AddColumn("eval loss before").AddColumn("eval loss after")
            .AddColumn("train loss first → last").AddColumn("answer accuracy before → after").AddColumn("kept / step").AddColumn("tokens/s").AddColumn("median step");
        string accuracy = result.AccuracyBefore is { } a0 && result.AccuracyAfter is { } a1 ? $"{a0:P1} → {a1:P1}" : "-";
        table.AddRow(EnumSpelling.Of(result.Method), result.Steps.ToString(), Format(result.EvalLossBefore), Format(result.EvalLossAfter),
            $"{result.FirstLoss:F4} → {result.LastLoss:F4}", accuracy, $"{result.MeanKept:P1}", $"{result.TokensPerSecond:N0}", $"{result.MedianStepMilliseconds:F1} ms");
        AnsiConsole.Write(table);
        if (result.SkippedSteps > 0) AnsiConsole.MarkupLine($"[yellow]{result.SkippedSteps} steps skipped for a non-finite gradient[/]");
        if (config.Plots)
        {
            var steps = MetricsLog.Read(paths.Metrics);
            Plots.Loss(steps, Path.Combine(paths.RunDir, "loss.png"), $"{result.Method}: loss");
            Plots.UpdateDensity(steps, Path.Combine(paths.RunDir, "update_density.png"), $"{result.Method}: share of entries updated per layer");
        }
        string shown = Path.GetRelativePath(Environment.CurrentDirectory, paths.RunDir);
        if (shown.StartsWith("..", StringComparison.Ordinal)) shown = paths.RunDir;
        Console.WriteLine($"run folder: {shown} (metrics.jsonl, checkpoints, final/{(config.Plots ? ", loss.png, update_density.png" : "")})");
    }

    private static string Format(double? v) => v is { } x ? x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
