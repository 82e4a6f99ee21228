using System.Globalization;
using OrtGmt.Config;
using OrtGmt.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrtGmt.Cli.Reports;

/// <summary>The results of a run, one quantity per row, so the table stays narrow (about 50 columns) in any terminal or log.</summary>
internal static class ResultsTable
{
    public static IRenderable Build(TrainResult r)
    {
        var table = new Table().AddColumn("result").AddColumn("value");
        table.AddRow("method", EnumSpelling.Of(r.Method));
        table.AddRow("steps", r.Steps.ToString(CultureInfo.InvariantCulture));
        table.AddRow("eval loss before → after", $"{Number(r.EvalLossBefore)} → {Number(r.EvalLossAfter)}");
        table.AddRow("train loss first → last", $"{Number(r.FirstLoss)} → {Number(r.LastLoss)}");
        if (r.AccuracyBefore is { } a0 && r.AccuracyAfter is { } a1) table.AddRow("answer accuracy before → after", $"{a0:P1} → {a1:P1}");
        table.AddRow("kept per step", double.IsFinite(r.MeanKept) ? $"{r.MeanKept:P1}" : "-");
        table.AddRow("tokens/s", double.IsFinite(r.TokensPerSecond) && r.TokensPerSecond > 0 ? $"{r.TokensPerSecond:N0}" : "-");
        table.AddRow("median step", double.IsFinite(r.MedianStepMilliseconds) ? $"{r.MedianStepMilliseconds:F1} ms" : "-");
        if (r.SkippedSteps > 0) table.AddRow("[yellow]steps skipped (non-finite gradient)[/]", r.SkippedSteps.ToString(CultureInfo.InvariantCulture));
        return table;
    }

    private static string Number(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
