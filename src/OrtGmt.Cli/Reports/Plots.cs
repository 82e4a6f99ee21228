using OrtGmt.Training.Metrics;

namespace OrtGmt.Cli.Reports;

/// <summary>PNG plots of a run, drawn from its metrics.jsonl.</summary>
internal static class Plots
{
    private const int Width = 900;
    private const int Height = 520;

    /// <summary>Training loss per step with the held-out loss where it was measured (step 0: before training).</summary>
    public static void Loss(IReadOnlyList<StepMetrics> steps, double? initialEval, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        var train = plot.Add.Scatter(steps.Select(s => (double)s.Step).ToArray(), steps.Select(s => s.Loss).ToArray());
        train.LegendText = "train loss";
        train.MarkerSize = 0;
        var evals = steps.Where(s => s.EvalLoss is not null).Select(s => ((double)s.Step, s.EvalLoss!.Value)).ToList();
        if (initialEval is { } e0) evals.Insert(0, (0, e0));
        if (evals.Count > 0)
        {
            var eval = plot.Add.Scatter(evals.Select(e => e.Item1).ToArray(), evals.Select(e => e.Item2).ToArray());
            eval.LegendText = "eval loss";
            eval.MarkerSize = 6;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Heatmap of the share of each layer's entries updated at each step.</summary>
    public static void UpdateDensity(IReadOnlyList<StepMetrics> steps, string path, string title)
    {
        int layers = steps.Count == 0 ? 0 : steps.Max(s => s.KeptByLayer.Length);
        if (layers == 0 || steps.Count == 0) return;
        var data = new double[layers, steps.Count];
        for (int t = 0; t < steps.Count; t++)
            for (int l = 0; l < layers; l++)
                data[layers - 1 - l, t] = l < steps[t].KeptByLayer.Length ? steps[t].KeptByLayer[l] : double.NaN;
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Extent gives the centres of the corner cells: steps 1..n, layers 0..layers-1.
        if (steps.Count > 1 && layers > 1) heatmap.Extent = new ScottPlot.CoordinateRect(steps[0].Step, steps[^1].Step, 0, layers - 1);
        plot.Add.ColorBar(heatmap);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("layer");
        plot.SavePng(path, Width, Height);
    }
}
