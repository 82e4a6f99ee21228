using OrtGmt.Artifacts;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Inference;
using OrtGmt.Masking;
using OrtGmt.Models;
using OrtGmt.Optimizers;
using OrtGmt.Training;
using OrtGmt.Training.Checkpoints;
using OrtGmt.Training.Metrics;
using OrtGmt.Training.Session;
using OrtGmt.Training.Update;

namespace OrtGmt.Recipes;

/// <summary>
/// `ortgmt train`: a run from a <see cref="TrainConfig"/>, in stages — check the inputs, prepare the
/// run folder, data, artifacts (made from the model when not given), session with the method's
/// mask, the training loop, the final model, answer accuracy, the summary.
/// </summary>
public static class TrainRecipe
{
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
        NoteUnusedFields(config, hooks);
        // Everything that can be checked without writing is checked first.
        var text = TextPipeline.Load(config);
        var model = ModelSource.Resolve(config, text.Tokenizer);
        TrainData.CheckFiles(config);

        var run = RunFolder.Prepare(config, hooks);
        using var data = TrainData.Open(config, text, run, hooks);
        string artifacts = PrepareArtifacts(config, model, run, hooks);
        var (state, resumed) = ResumeOrStart(config, run, artifacts, hooks);
        ModelSource.CheckVocabulary(text.Tokenizer, state.Manifest.Vocab, $" ({RunFolder.Display(artifacts)})");
        var train = data.TrainBatches(config, text.Tokenizer.PadId, resumed?.DataCursor);
        long maxSteps = PlanSteps(config, train.BatchesPerEpoch, resumed, hooks);

        using var metrics = resumed is null ? MetricsLog.Create(run.Metrics) : MetricsLog.Resume(run.Metrics, resumed.Step);
        TrainResult result;
        using (var session = OpenSession(config, state, artifacts, maxSteps))
        {
            hooks.OnStart?.Invoke(maxSteps, session.StepCount);
            var trainer = new Trainer(session, state, config.ToTrainer(), run.Dir)
            {
                OnStep = hooks.OnStep,
                OnEval = (step, loss) =>
                {
                    if (step == 0) metrics.WriteInitialEval(loss);
                    hooks.OnEval?.Invoke(step, loss);
                },
            };
            result = trainer.Run(train, data.Eval, maxSteps, metrics);
            ExportFinalModel(session, state, model, run);
        }

        result = RunSummary.FromMetrics(result, run.Metrics);
        result = MeasureAccuracy(config, text, data, Path.Combine(artifacts, state.Manifest.Files.ForwardModel), run, result, hooks);
        RunSummary.Write(result, run.ResultFile);
        return (result, new RunPaths(run.Dir, artifacts, run.Metrics, run.FinalDir));
    }

    /// <summary>
    /// The training session. Every option that shapes the update step (method, gradient mask,
    /// optimizer, where it runs) is set here and only here; the session builds the mask policy and
    /// continues it from the checkpoint in <paramref name="state"/>.
    /// </summary>
    private static GmtTrainingSession OpenSession(TrainConfig config, GmtCheckpointState state, string artifacts, long maxSteps)
    {
        var options = new GmtTrainingSessionOptions
        {
            Device = config.Device,
            Threads = config.Threads,
            Method = config.Method,
            MaskRatio = config.MaskRatio,
            MaskScope = config.MaskScope,
            MaskMode = config.MaskMode,
            Seed = config.Seed,
            Optimizer = config.Optimizer,
            AdamW = config.ToAdamW(),
            Sgd = config.ToSgd(),
            MaxGradNorm = config.MaxGradNorm,
            UpdateStep = config.GraphOptimizer ? UpdateStepKind.Graph : null,
        };
        var session = new GmtTrainingSession(state, artifacts, options);
        session.RegisterScheduler(LearningRateSchedule.WithWarmupRatio(config.LrScheduler, config.LearningRate, maxSteps, config.WarmupRatio, config.MinLrRatio));
        return session;
    }

    /// <summary>Says which set fields the method does not use, rather than ignoring them silently.</summary>
    private static void NoteUnusedFields(TrainConfig config, Hooks hooks)
    {
        if (config.MaskRatio == TrainConfig.DefaultMaskRatio) return;
        if (config.Method == TrainingMethod.Sft)
            hooks.OnInfo?.Invoke($"note: mask_ratio {config.MaskRatio} is not used by sft, which updates every entry");
        if (config.Method == TrainingMethod.Hft)
            hooks.OnInfo?.Invoke($"note: mask_ratio {config.MaskRatio} is not used by hft, which freezes half of each layer's weight matrices for the whole run");
    }

    /// <summary>The artifact folder to train: the configured one, or one generated from the model into the run folder.</summary>
    private static string PrepareArtifacts(TrainConfig config, ModelSource model, RunFolder run, Hooks hooks)
    {
        if (config.Artifacts is { } given)
        {
            if (!File.Exists(Path.Combine(given, ArtifactManifest.FileName))) throw new ConfigException("artifacts", $"'{given}' is not an artifact folder (no {ArtifactManifest.FileName})");
            return given;
        }
        string artifacts = run.GeneratedArtifacts;
        if (File.Exists(Path.Combine(artifacts, ArtifactManifest.FileName)) && config.ResumeFromCheckpoint is not null) return artifacts;
        string forward = model.Materialize(run.ModelDir, hooks);
        hooks.OnInfo?.Invoke($"generating artifacts from {RunFolder.Display(forward)}");
        ArtifactGenerator.Generate(forward, artifacts, new ArtifactOptions { Optimizer = config.Optimizer });
        return artifacts;
    }

    private static (GmtCheckpointState State, TrainerState? Resumed) ResumeOrStart(TrainConfig config, RunFolder run, string artifacts, Hooks hooks)
    {
        if (config.ResumeFromCheckpoint is not { } resume) return (GmtCheckpointState.FromArtifacts(artifacts), null);
        string? dir = resume == TrainConfig.LatestCheckpoint ? CheckpointFolders.Latest(run.Dir) : resume;
        if (dir is null)
        {
            hooks.OnInfo?.Invoke("no checkpoint to resume from; starting fresh");
            return (GmtCheckpointState.FromArtifacts(artifacts), null);
        }
        var manifest = ArtifactManifest.Load(Path.Combine(artifacts, ArtifactManifest.FileName));
        var state = GmtCheckpointState.Load(dir, manifest);
        var trainer = state.Trainer is { } json ? System.Text.Json.JsonSerializer.Deserialize<TrainerState>(json) : null;
        if (trainer is not null && trainer.Method != config.Method)
            throw new ConfigException("method", $"the checkpoint in {RunFolder.Display(dir)} was trained with '{EnumSpelling.Of(trainer.Method)}', this config says '{EnumSpelling.Of(config.Method)}'");
        hooks.OnInfo?.Invoke($"resuming from {RunFolder.Display(dir)} at step {trainer?.Step ?? 0}");
        return (state, trainer);
    }

    /// <summary>Optimizer steps of the run; a resumed run must plan the same number (the schedule depends on it).</summary>
    private static long PlanSteps(TrainConfig config, int batchesPerEpoch, TrainerState? resumed, Hooks hooks)
    {
        long maxSteps = config.MaxSteps ?? (long)Math.Ceiling(config.NumEpochs * batchesPerEpoch / config.GradientAccumulationSteps);
        if (resumed is null) return maxSteps;
        if (resumed.MaxSteps != maxSteps)
            throw new ConfigException("max_steps", $"the checkpoint was made for a {resumed.MaxSteps}-step run, this config plans {maxSteps} steps; the schedule would differ");
        if (resumed.Step >= maxSteps)
            hooks.OnInfo?.Invoke($"the checkpoint is at step {resumed.Step} of {maxSteps}: the run is complete, nothing is left to train");
        return maxSteps;
    }

    /// <summary>final/: the trained forward model (plain ONNX Runtime runs it), its parameters and, when known, the model config.</summary>
    private static void ExportFinalModel(GmtTrainingSession session, GmtCheckpointState state, ModelSource model, RunFolder run)
    {
        Directory.CreateDirectory(run.FinalDir);
        session.ExportModelForInferencing(Path.Combine(run.FinalDir, ModelFolder.ForwardFile));
        ParameterFile.Write(Path.Combine(run.FinalDir, ModelFolder.WeightsFile), session.Parameters, state.Manifest.Parameters, new Dictionary<string, string> { ["format"] = "pt" });
        string? modelConfig = model.ConfigFile ?? ExistingFile(Path.Combine(run.ModelDir, ModelFolder.ConfigFile));
        if (modelConfig is not null) File.Copy(modelConfig, Path.Combine(run.FinalDir, ModelFolder.ConfigFile), overwrite: true);
    }

    private static string? ExistingFile(string path) => File.Exists(path) ? path : null;

    /// <summary>With synthetic eval data: the share of held-out prompts answered correctly by greedy generation, before and after.</summary>
    private static TrainResult MeasureAccuracy(TrainConfig config, TextPipeline text, TrainData data, string initialModel, RunFolder run, TrainResult result, Hooks hooks)
    {
        if (!config.EvalAccuracy || data.EvalPath is null || !TrainData.IsSynth(config.EvalData!)) return result;
        var samples = TaskAccuracy.ReadSamples(data.EvalPath);
        var encoder = text.Encoder();
        double Accuracy(string model)
        {
            using var generator = new GreedyGenerator(model, config.Threads);
            return TaskAccuracy.Evaluate(generator, samples, encoder, config.MaxNewTokens, config.MaxSeqLength);
        }
        result = result with
        {
            AccuracyBefore = Accuracy(initialModel),
            AccuracyAfter = Accuracy(Path.Combine(run.FinalDir, ModelFolder.ForwardFile)),
        };
        hooks.OnInfo?.Invoke($"answer accuracy on {samples.Count} held-out samples: {result.AccuracyBefore:P1} before, {result.AccuracyAfter:P1} after");
        return result;
    }
}
