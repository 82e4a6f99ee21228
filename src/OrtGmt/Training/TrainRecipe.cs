using System.Text.Json;
using OrtGmt.Artifacts;
using OrtGmt.Config;
using OrtGmt.Data.Batching;
using OrtGmt.Data.Tokenization;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Synthetic;
using OrtGmt.Data.Templates;
using OrtGmt.Errors;
using OrtGmt.Inference;
using OrtGmt.IO;
using OrtGmt.Masking;
using OrtGmt.Models;
using OrtGmt.Optimizers;
using OrtGmt.Randomness;
using OrtGmt.Runtime;
using OrtGmt.Tokenizers;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Metrics;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Training;

/// <summary>Where a run put things.</summary>
public sealed record RunPaths(string RunDir, string ArtifactsDir, string Metrics, string FinalModelDir);

/// <summary>
/// `ortgmt train`: a run from a <see cref="TrainConfig"/> — model → artifacts (made on the fly
/// when not given) → data → session with the method's mask → training loop → final model.
/// </summary>
public static class TrainRecipe
{
    /// <summary>Prefix of a generated data option ("synth:math").</summary>
    public const string SynthPrefix = "synth:";

    /// <summary>Metrics file of a run.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Callbacks for progress display.</summary>
    public sealed record Hooks
    {
        /// <summary>After each step.</summary>
        public Action<StepMetrics>? OnStep { get; init; }

        /// <summary>After each evaluation.</summary>
        public Action<long, double>? OnEval { get; init; }

        /// <summary>Once the plan is known: total steps and the step the run starts from.</summary>
        public Action<long, long>? OnStart { get; init; }

        /// <summary>Informational lines (what was generated, resumed, skipped).</summary>
        public Action<string>? OnInfo { get; init; }
    }

    /// <summary>Runs <paramref name="config"/> to completion.</summary>
    public static (TrainResult Result, RunPaths Paths) Run(TrainConfig config, Hooks? hooks = null)
    {
        hooks ??= new Hooks();
        config.Validate();
        string runDir = Path.GetFullPath(config.OutputDir);
        if (config.ResumeFromCheckpoint is null && CheckpointFolders.List(runDir).Count > 0)
        {
            if (!config.OverwriteOutputDir)
                throw new ConfigException("output_dir", $"'{config.OutputDir}' already holds checkpoints of an earlier run; resume it (resume_from_checkpoint: \"latest\", --resume latest), "
                    + "choose another output_dir, or set overwrite_output_dir (--overwrite) to delete them");
            foreach (var (_, dir) in CheckpointFolders.List(runDir)) Directory.Delete(dir, recursive: true);
            hooks.OnInfo?.Invoke($"deleted the earlier run's checkpoints in {Display(runDir)}");
        }
        Directory.CreateDirectory(runDir);
        AtomicFile.WriteAllText(Path.Combine(runDir, "run_config.json"), config.ToJson());

        string artifacts = PrepareArtifacts(config, runDir, hooks);
        CheckSequenceLength(config, runDir);
        var tokenizer = TokenizerLoader.Load(config.Tokenizer);
        var template = BuiltIn.Resolve(config.Template, tokenizer);
        var encodeOptions = new EncodeOptions
        {
            MaxSeq = config.MaxSeqLength,
            Truncation = EnumSpelling.Parse<TruncationPolicy>(config.Truncation, "truncation"),
            TrainOnInputs = config.TrainOnInputs,
        };
        var format = SampleFormats.Parse(config.Format);
        string trainPath = ResolveData(config.TrainData, config, runDir, "train", SyntheticSplit.Train, config.SynthTrainSamples, hooks);
        using var trainSet = JsonlDataset.Open(trainPath, new SampleEncoder(tokenizer, template, encodeOptions), format);
        if (trainSet.Count == 0) throw new OrtGmtException($"{trainPath}: no usable training samples ({trainSet.Stats})");
        hooks.OnInfo?.Invoke($"train data {Display(trainPath)}: {trainSet.Format.ToString().ToLowerInvariant()} format, {trainSet.Stats}");

        var state = ResumeOrStart(config, runDir, artifacts, hooks, out var trainerState);
        if (tokenizer.VocabSize > (state.Manifest.Vocab ?? int.MaxValue))
            throw new ConfigException("tokenizer", $"tokenizer has {tokenizer.VocabSize} tokens but the model's vocabulary is {state.Manifest.Vocab}");

        var batcherOptions = new BatcherOptions
        {
            MicroBatchSize = config.MicroBatchSize,
            MaxSeq = config.MaxSeqLength,
            Seed = config.Seed,
            GroupByLength = config.GroupByLength,
            Packing = config.Packing,
        };
        var train = new Batcher(trainSet, batcherOptions, tokenizer.PadId, trainerState?.DataCursor);
        string? evalPath = config.EvalData is null ? null
            : ResolveData(config.EvalData, config, runDir, "eval", SyntheticSplit.Test, config.SynthEvalSamples, hooks);
        var eval = evalPath is null ? [] : LoadEval(evalPath, config, tokenizer, template, encodeOptions, format);

        long maxSteps = config.MaxSteps ?? (long)Math.Ceiling(config.NumEpochs * train.BatchesPerEpoch / config.GradientAccumulationSteps);
        if (trainerState is { } ts && ts.MaxSteps != maxSteps)
            throw new ConfigException("max_steps", $"the checkpoint was made for a {ts.MaxSteps}-step run, this config plans {maxSteps} steps; the schedule would differ");

        var options = new TrainingSessionOptions
        {
            Device = EnumSpelling.Parse<ExecutionDevice>(config.Device, "device"),
            Threads = config.Threads,
            Optimizer = EnumSpelling.Parse<OptimizerKind>(config.Optimizer, "optimizer"),
            AdamW = new AdamWOptions { Beta1 = config.AdamBeta1, Beta2 = config.AdamBeta2, Epsilon = config.AdamEpsilon, WeightDecay = config.WeightDecay },
            Sgd = new SgdOptions { Momentum = config.Momentum, WeightDecay = config.WeightDecay },
            Method = EnumSpelling.Parse<TrainingMethod>(config.Method, "method"),
            MaskRatio = config.MaskRatio,
            MaskScope = EnumSpelling.Parse<MaskScope>(config.MaskScope, "mask_scope"),
            MaskMode = EnumSpelling.Parse<MaskedEntryMode>(config.MaskMode, "mask_mode"),
            Seed = config.Seed,
            MaxGradNorm = config.MaxGradNorm,
            UpdateStep = config.GraphOptimizer ? UpdateStepKind.Graph : null,
        };
        options.AdamW.Validate();
        options.Sgd.Validate();
        using var session = new TrainingSession(state, artifacts, options);
        var kind = EnumSpelling.Parse<ScheduleKind>(config.LrScheduler, "lr_scheduler");
        session.RegisterScheduler(LearningRateSchedule.WithWarmupRatio(kind, config.LearningRate, maxSteps, config.WarmupRatio, config.MinLrRatio));
        hooks.OnStart?.Invoke(maxSteps, session.StepCount);

        var trainer = new Trainer(session, state, config, runDir) { OnStep = hooks.OnStep, OnEval = hooks.OnEval };
        string metricsPath = Path.Combine(runDir, MetricsFile);
        using var metrics = new MetricsLog(metricsPath, append: trainerState is not null);
        var result = trainer.Run(train, eval, maxSteps, metrics);

        string final = Path.Combine(runDir, "final");
        Directory.CreateDirectory(final);
        session.ExportModelForInferencing(Path.Combine(final, ModelFolder.ForwardFile));
        ParameterFile.Write(Path.Combine(final, ModelFolder.WeightsFile), session.Parameters, state.Manifest.Parameters, new Dictionary<string, string> { ["format"] = "pt" });
        string modelConfig = Path.Combine(runDir, "model", ModelFolder.ConfigFile);
        if (File.Exists(modelConfig)) File.Copy(modelConfig, Path.Combine(final, ModelFolder.ConfigFile), overwrite: true);
        if (config.EvalAccuracy && evalPath is not null && config.EvalData!.StartsWith(SynthPrefix, StringComparison.Ordinal))
        {
            var samples = TaskAccuracy.ReadSamples(evalPath);
            var encoder = new SampleEncoder(tokenizer, template, encodeOptions);
            double Accuracy(string model)
            {
                using var generator = new GreedyGenerator(model, config.Threads);
                return TaskAccuracy.Evaluate(generator, samples, encoder, config.MaxNewTokens, config.MaxSeqLength);
            }
            result = result with
            {
                AccuracyBefore = Accuracy(Path.Combine(artifacts, state.Manifest.Files.ForwardModel)),
                AccuracyAfter = Accuracy(Path.Combine(final, ModelFolder.ForwardFile)),
            };
            hooks.OnInfo?.Invoke($"answer accuracy on {samples.Count} held-out samples: {result.AccuracyBefore:P1} before, {result.AccuracyAfter:P1} after");
        }
        AtomicFile.WriteAllText(Path.Combine(runDir, "result.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return (result, new RunPaths(runDir, artifacts, metricsPath, final));
    }

    /// <summary>A path as messages show it: relative to the working folder when inside it.</summary>
    private static string Display(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>A built-in model's rotary tables end at its max_seq; longer rows would fail inside the graph.</summary>
    private static void CheckSequenceLength(TrainConfig config, string runDir)
    {
        string[] candidates = [Path.Combine(runDir, "model", ModelFolder.ConfigFile), Path.Combine(config.Model, ModelFolder.ConfigFile)];
        foreach (var path in candidates.Where(File.Exists))
        {
            int limit = LlamaConfig.Load(path).MaxSeq;
            if (config.MaxSeqLength > limit)
                throw new ConfigException("max_seq_length", $"{config.MaxSeqLength} is longer than the model's max_seq {limit} ({path})");
            return;
        }
    }

    /// <summary>The artifact folder to train: the configured one, or one generated from the model into the run folder.</summary>
    private static string PrepareArtifacts(TrainConfig config, string runDir, Hooks hooks)
    {
        if (config.Artifacts is { } given)
        {
            if (!File.Exists(Path.Combine(given, "manifest.json"))) throw new ConfigException("artifacts", $"'{given}' is not an artifact folder (no manifest.json)");
            return given;
        }
        string artifacts = Path.Combine(runDir, "artifacts");
        if (File.Exists(Path.Combine(artifacts, "manifest.json")) && config.ResumeFromCheckpoint is not null) return artifacts;
        string forward = ResolveModel(config, runDir, hooks);
        hooks.OnInfo?.Invoke($"generating artifacts from {Display(forward)}");
        ArtifactGenerator.Generate(forward, artifacts, new ArtifactOptions { Optimizer = EnumSpelling.Parse<OptimizerKind>(config.Optimizer, "optimizer") });
        return artifacts;
    }

    private static string ResolveModel(TrainConfig config, string runDir, Hooks hooks)
    {
        string model = config.Model;
        if (LlamaConfig.BuiltInNames.Contains(model))
        {
            var c = LlamaConfig.LoadNamedOrFile(model) with { Seed = config.Seed };
            string dir = Path.Combine(runDir, "model");
            hooks.OnInfo?.Invoke($"initialising the built-in '{model}' model into {Display(dir)}");
            ModelFolder.Write(dir, c, LlamaWeights.Initialize(c));
            return Path.Combine(dir, ModelFolder.ForwardFile);
        }
        if (Directory.Exists(model))
        {
            string forward = Path.Combine(model, ModelFolder.ForwardFile);
            if (!File.Exists(forward)) throw new ConfigException("model", $"folder '{model}' has no {ModelFolder.ForwardFile}");
            return forward;
        }
        if (File.Exists(model)) return model;
        throw new ConfigException("model", $"'{model}' is neither a built-in model ({string.Join(", ", LlamaConfig.BuiltInNames)}), a model folder nor an ONNX file");
    }

    /// <summary>A JSONL path for a data option: the file itself, or a generated split for "synth:TASK".</summary>
    private static string ResolveData(string option, TrainConfig config, string runDir, string name, SyntheticSplit split, int count, Hooks hooks)
    {
        if (!option.StartsWith(SynthPrefix, StringComparison.Ordinal))
        {
            if (!File.Exists(option)) throw new ConfigException(split == SyntheticSplit.Train ? "train_data" : "eval_data", $"file '{option}' not found");
            return option;
        }
        var task = SyntheticTasks.Get(option[SynthPrefix.Length..]);
        // Named by everything that decides the content, so a run with another seed never reuses it.
        string path = Path.Combine(runDir, "data", $"{name}-{task.Name}-n{count}-seed{config.Seed}.jsonl");
        if (!File.Exists(path))
        {
            hooks.OnInfo?.Invoke($"generating {count} {task.Name} samples ({split.ToString().ToLowerInvariant()} split) into {Display(path)}");
            var lines = SyntheticTasks.Generate(task, count, config.Seed, split).Select(s => s.ToJsonLine());
            AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
        }
        return path;
    }

    private static List<Batch> LoadEval(string path, TrainConfig config, ITextTokenizer tokenizer, ChatTemplate template,
        EncodeOptions encodeOptions, SampleFormat format)
    {
        using var set = JsonlDataset.Open(path, new SampleEncoder(tokenizer, template, encodeOptions), format);
        var batcher = new Batcher(set, new BatcherOptions { MicroBatchSize = config.MicroBatchSize, MaxSeq = config.MaxSeqLength, Shuffle = false }, tokenizer.PadId);
        int count = config.EvalMaxBatches > 0 ? Math.Min(config.EvalMaxBatches, batcher.BatchesPerEpoch) : batcher.BatchesPerEpoch;
        var batches = new List<Batch>(count);
        for (int i = 0; i < count; i++) batches.Add(batcher.Next());
        return batches;
    }

    private static CheckpointState ResumeOrStart(TrainConfig config, string runDir, string artifacts, Hooks hooks, out TrainerState? trainer)
    {
        trainer = null;
        if (config.ResumeFromCheckpoint is not { } resume) return CheckpointState.FromArtifacts(artifacts);
        string? dir = resume == "latest" ? CheckpointFolders.Latest(runDir) : resume;
        if (dir is null)
        {
            hooks.OnInfo?.Invoke("no checkpoint to resume from; starting fresh");
            return CheckpointState.FromArtifacts(artifacts);
        }
        var manifest = ArtifactManifest.Load(Path.Combine(artifacts, "manifest.json"));
        var state = CheckpointState.Load(dir, manifest);
        if (state.Trainer is { } json) trainer = json.Deserialize<TrainerState>();
        if (trainer is not null && EnumSpelling.Of(trainer.Method) != config.Method)
            throw new ConfigException("method", $"the checkpoint in {dir} was trained with '{EnumSpelling.Of(trainer.Method)}', this config says '{config.Method}'");
        hooks.OnInfo?.Invoke($"resuming from {Display(dir)} at step {trainer?.Step ?? 0}");
        return state;
    }
}
