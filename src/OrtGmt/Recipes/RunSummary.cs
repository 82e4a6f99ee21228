using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.IO;
using OrtGmt.Training;
using OrtGmt.Training.Metrics;

namespace OrtGmt.Recipes;

/// <summary>
/// The numbers of a run's results table and result.json. They come from the whole metrics.jsonl, so a
/// run stopped and resumed reports from its real first step, not from where this process started.
/// </summary>
internal static class RunSummary
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteOrNull() },
    };

    /// <summary><paramref name="process"/>'s result with the per-step numbers taken over every step in <paramref name="metricsPath"/>.</summary>
    public static TrainResult FromMetrics(TrainResult process, string metricsPath)
    {
        var steps = MetricsLog.Read(metricsPath);
        if (steps.Count == 0) return process;
        var times = steps.Select(s => s.StepMilliseconds).Order().ToList();
        double seconds = times.Sum() / 1000;
        return process with
        {
            EvalLossBefore = MetricsLog.ReadInitialEval(metricsPath) ?? process.EvalLossBefore,
            FirstLoss = steps[0].Loss,
            LastLoss = steps[^1].Loss,
            MeanKept = steps.Average(s => s.Kept),
            TokensPerSecond = steps.Sum(s => (double)s.Tokens) / Math.Max(seconds, 1e-9),
            MedianStepMilliseconds = times[times.Count / 2],
            SkippedSteps = steps.Count(s => s.Skipped),
        };
    }

    /// <summary>Writes result.json: snake_case names like every other file of the run; a number that was never measured is null.</summary>
    public static void Write(TrainResult result, string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, Json));

    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        public override bool HandleNull => true;
    }
}
