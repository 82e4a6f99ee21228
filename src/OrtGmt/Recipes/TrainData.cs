using OrtGmt.Config;
using OrtGmt.Data.Batching;
using OrtGmt.Data.Synthetic;
using OrtGmt.Errors;
using OrtGmt.IO;

namespace OrtGmt.Recipes;

/// <summary>A run's training set (indexed, every line checked) and its held-out batches.</summary>
internal sealed class TrainData : IDisposable
{
    private TrainData(JsonlDataset train, string? evalPath, List<Batch> eval)
    {
        TrainSet = train;
        EvalPath = evalPath;
        Eval = eval;
    }

    public JsonlDataset TrainSet { get; }

    /// <summary>The held-out JSONL file, when the run has one.</summary>
    public string? EvalPath { get; }

    public List<Batch> Eval { get; }

    /// <summary>Checks that the data files exist before anything else is done.</summary>
    public static void CheckFiles(TrainConfig config)
    {
        Check(config.TrainData, "train_data");
        if (config.EvalData is { } eval) Check(eval, "eval_data");
    }

    private static void Check(string option, string field)
    {
        if (!IsSynth(option))
        {
            if (Directory.Exists(option)) throw new ConfigException(field, $"'{option}' is a folder; give a JSONL file");
            if (!File.Exists(option)) throw new ConfigException(field, $"file '{option}' not found");
            return;
        }
        try
        {
            SyntheticTasks.Get(option[TrainConfig.SynthPrefix.Length..]);
        }
        catch (OrtGmtException e) when (e is not ConfigException)
        {
            throw new ConfigException(field, e.Message);
        }
    }

    /// <summary>Opens (generating "synth:" sets into the run folder) the training and held-out data.</summary>
    public static TrainData Open(TrainConfig config, TextPipeline text, RunFolder run, TrainRecipe.Hooks hooks)
    {
        string trainPath = Resolve(config.TrainData, config, run, "train", SyntheticSplit.Train, config.SynthTrainSamples, hooks);
        var train = JsonlDataset.Open(trainPath, text.Encoder(), config.Format, config.SkipBadLines);
        try
        {
            if (train.Count == 0) throw new OrtGmtException($"{trainPath}: no usable training samples ({train.Stats})");
            hooks.OnInfo?.Invoke($"train data {RunFolder.Display(trainPath)}: {EnumSpelling.Of(train.Format)} format, {train.Stats}");
            foreach (string skipped in train.Stats.SkippedExamples) hooks.OnInfo?.Invoke("skipped: " + skipped);
            string? evalPath = config.EvalData is null ? null
                : Resolve(config.EvalData, config, run, "eval", SyntheticSplit.Test, config.SynthEvalSamples, hooks);
            return new TrainData(train, evalPath, evalPath is null ? [] : LoadEval(evalPath, config, text));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The training batch stream, continuing at <paramref name="cursor"/> when resuming.</summary>
    public Batcher TrainBatches(TrainConfig config, long padId, DataCursor? cursor) =>
        new(TrainSet, new BatcherOptions
        {
            MicroBatchSize = config.MicroBatchSize,
            MaxSeq = config.MaxSeqLength,
            Seed = config.Seed,
            GroupByLength = config.GroupByLength,
            Packing = config.Packing,
        }, padId, cursor);

    public void Dispose() => TrainSet.Dispose();

    public static bool IsSynth(string option) => option.StartsWith(TrainConfig.SynthPrefix, StringComparison.Ordinal);

    /// <summary>A JSONL path for a data option: the file itself, or a generated split for "synth:TASK".</summary>
    private static string Resolve(string option, TrainConfig config, RunFolder run, string name, SyntheticSplit split, int count, TrainRecipe.Hooks hooks)
    {
        if (!IsSynth(option)) return option;
        var task = SyntheticTasks.Get(option[TrainConfig.SynthPrefix.Length..]);
        // Named by everything that decides the content, so a run with another seed never reuses it.
        string path = Path.Combine(run.DataDir, $"{name}-{task.Name}-n{count}-seed{config.Seed}.jsonl");
        if (!File.Exists(path))
        {
            hooks.OnInfo?.Invoke($"generating {count} {task.Name} samples ({EnumSpelling.Of(split)} split) into {RunFolder.Display(path)}");
            var lines = SyntheticTasks.Generate(task, count, config.Seed, split).Select(s => s.ToJsonLine());
            AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
        }
        return path;
    }

    private static List<Batch> LoadEval(string path, TrainConfig config, TextPipeline text)
    {
        using var set = JsonlDataset.Open(path, text.Encoder(), config.Format, config.SkipBadLines);
        var batcher = new Batcher(set, new BatcherOptions { MicroBatchSize = config.MicroBatchSize, MaxSeq = config.MaxSeqLength, Shuffle = false }, text.Tokenizer.PadId);
        int count = config.EvalMaxBatches > 0 ? Math.Min(config.EvalMaxBatches, batcher.BatchesPerEpoch) : batcher.BatchesPerEpoch;
        var batches = new List<Batch>(count);
        for (int i = 0; i < count; i++) batches.Add(batcher.Next());
        return batches;
    }
}
