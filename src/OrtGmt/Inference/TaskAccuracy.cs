using OrtGmt.Data.Synthetic;
using OrtGmt.Data.Tokenization;

namespace OrtGmt.Inference;

/// <summary>
/// Share of synthetic samples a model answers correctly: greedy generation from each sample's
/// prompt, decoded and judged by the task's own answer checker.
/// </summary>
public static class TaskAccuracy
{
    /// <summary>Rows generated together.</summary>
    public const int BatchRows = 32;

    /// <summary>Accuracy of the model behind <paramref name="generator"/> on <paramref name="samples"/>.</summary>
    public static double Evaluate(GreedyGenerator generator, IReadOnlyList<SyntheticSample> samples, SampleEncoder encoder, int maxNewTokens, int maxLength)
    {
        if (samples.Count == 0) return double.NaN;
        var general = new GeneralTask();
        var text = new PretrainTask();
        int correct = 0;
        for (int start = 0; start < samples.Count; start += BatchRows)
        {
            var batch = samples.Skip(start).Take(BatchRows).ToList();
            var prompts = batch.Select(s => SyntheticPrompt.Encode(s, encoder)).ToList();
            var outputs = generator.Generate(prompts, maxNewTokens, encoder.Tokenizer.EosId, maxLength, encoder.Tokenizer.PadId);
            for (int i = 0; i < batch.Count; i++)
            {
                string answer = encoder.Tokenizer.Decode(outputs[i]);
                ISyntheticTask task = batch[i].Kind == PretrainTask.TextKind ? text : general;
                if (task.IsCorrect(batch[i], answer)) correct++;
            }
        }
        return (double)correct / samples.Count;
    }

    /// <summary>Reads the synthetic samples of a JSONL file written by `ortgmt data synth`.</summary>
    public static List<SyntheticSample> ReadSamples(string path)
    {
        var samples = new List<SyntheticSample>();
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text)) samples.Add(SyntheticSample.FromJsonLine(text, path, line));
        }
        return samples;
    }
}
