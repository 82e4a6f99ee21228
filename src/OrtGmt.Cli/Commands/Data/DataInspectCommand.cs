using System.CommandLine;
using System.Globalization;
using OrtGmt.Config;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Inspection;
using OrtGmt.Data.Templates;
using OrtGmt.Data.Tokenization;
using OrtGmt.Recipes;
using OrtGmt.Tokenizers;
using Spectre.Console;

namespace OrtGmt.Cli.Commands.Data;

/// <summary>`ortgmt data inspect`: format, counts, token-length histogram and one sample with its loss mask.</summary>
internal static class DataInspectCommand
{
    private const int HistogramBuckets = 8;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "JSONL file" };
        var format = Flags.Choice("--format", "JSONL format (auto: detected from the first valid line)", SampleFormat.Auto);
        var tokenizer = new Option<string>("--tokenizer") { Description = "byte (built-in), a tokenizer.json, a tokenizer.model, or a folder", DefaultValueFactory = _ => "byte" };
        var template = new Option<string>("--template") { Description = "auto (the tokenizer's own, else plain) | chatml | llama2 | plain | a Jinja file or tokenizer_config.json", DefaultValueFactory = _ => "auto" };
        var maxSeq = Flags.Number("--max-seq", "Maximum sequence length in tokens (as train's max_seq_length)", TrainConfig.DefaultMaxSeqLength);
        var truncation = Flags.Choice("--truncation", "What happens to a longer sample (the default is train's)", TrainConfig.DefaultTruncation);
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip malformed lines and count them instead of stopping" };
        var trainOnInputs = new Option<bool>("--train-on-inputs") { Description = "Train on prompt tokens too" };
        var command = new Command("inspect", "Show a JSONL file's format, counts, token lengths and a sample with its loss mask")
        {
            file, format, tokenizer, template, maxSeq, truncation, skipBad, trainOnInputs,
        };
        command.SetAction(parse => Cli.Guard(() =>
        {
            var tok = TokenizerLoader.Load(parse.GetValue(tokenizer));
            var chat = BuiltIn.Resolve(parse.GetValue(template), tok);
            int max = parse.GetValue(maxSeq);
            if (max < 2) throw new Errors.ConfigException("--max-seq", $"must be at least 2, got {max}");
            var options = new EncodeOptions
            {
                MaxSeq = max,
                Truncation = parse.GetValue(truncation),
                TrainOnInputs = parse.GetValue(trainOnInputs),
            };
            var report = DatasetReport.Build(parse.GetValue(file)!, new SampleEncoder(tok, chat, options), parse.GetValue(format), parse.GetValue(skipBad));
            Print(report, tok, chat, options);
            return Cli.Ok;
        }));
        return command;
    }

    private static void Print(DatasetReport r, ITextTokenizer tok, ChatTemplate chat, EncodeOptions options)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("file", Markup.Escape(r.Path));
        table.AddRow("format", $"{EnumSpelling.Of(r.Format)} ({(r.Detected ? "detected" : "given")})");
        table.AddRow("tokenizer", Markup.Escape($"{tok.Name}, vocab {tok.VocabSize}"));
        table.AddRow("template", Markup.Escape(chat.Name));
        table.AddRow("max seq / truncation", $"{options.MaxSeq} / {EnumSpelling.Of(options.Truncation)}");
        table.AddRow("sequences kept", S(r.Lengths.Count));
        table.AddRow("truncated", S(r.Stats.Truncated));
        table.AddRow("dropped (too long)", S(r.Stats.DroppedTooLong));
        table.AddRow("dropped (no trained token)", S(r.Stats.DroppedNoTargets));
        table.AddRow("skipped (bad lines)", S(r.Stats.SkippedBad));
        if (r.Lengths.Count > 0)
        {
            table.AddRow("tokens min / mean / max", $"{r.Lengths.Min()} / {r.Lengths.Average():F1} / {r.Lengths.Max()}");
            table.AddRow("trained tokens", $"{S(r.TrainedTokens)} ({100.0 * r.TrainedTokens / r.Lengths.Sum(x => (long)x):F1} % of all)");
        }
        console.Write(table);
        foreach (string skipped in r.Stats.SkippedExamples) console.WriteLine("skipped: " + skipped);

        console.WriteLine();
        console.WriteLine("token lengths:");
        var chart = new BarChart().Width(60);
        foreach (var (from, to, count) in r.Histogram(HistogramBuckets, options.MaxSeq))
            chart.AddItem($"{from,4}-{to,-4}", count, Color.Green);
        console.Write(chart);

        if (r.Example is { } example)
        {
            console.WriteLine();
            console.WriteLine($"sample at line {example.Line} ({example.Length} tokens; trained text between {LossMaskRenderer.Open} and {LossMaskRenderer.Close}):");
            foreach (var run in LossMaskRenderer.Runs(example, tok))
            {
                string text = run.Trained ? LossMaskRenderer.Open + run.Text + LossMaskRenderer.Close : run.Text;
                console.Write(new Text(text, run.Trained ? new Style(Color.Green) : new Style(Color.Grey)));
            }
            console.WriteLine();
        }
    }
}
