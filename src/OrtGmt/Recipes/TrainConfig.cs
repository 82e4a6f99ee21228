using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;
using OrtGmt.Training;

namespace OrtGmt.Recipes;

/// <summary>
/// A training run, as `ortgmt train --config run.json` reads it. Names follow Hugging Face's
/// TrainingArguments where one exists. Every field is optional; the defaults train the built-in
/// tiny model on the synthetic math task with GMT. Unknown fields and bad values are errors naming the field
/// and its line. Paths in a config file are relative to the file's folder.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Built-in model config name ("tiny", "small"), a model folder (config.json + model.safetensors), or a forward .onnx file.</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "tiny";

    /// <summary>An existing artifact folder to train; when null, artifacts are generated into the run folder.</summary>
    [JsonPropertyName("artifacts")] public string? Artifacts { get; init; }

    /// <summary>Run folder: checkpoints, metrics.jsonl, plots, final model.</summary>
    [JsonPropertyName("output_dir")] public string OutputDir { get; init; } = "runs/default";

    /// <summary>Training data: a JSONL file, or "synth:TASK" (math, code, general, pretrain) for a generated set.</summary>
    [JsonPropertyName("train_data")] public string TrainData { get; init; } = "synth:math";

    /// <summary>Held-out data, same forms as <see cref="TrainData"/>; "synth:TASK" gives the task's test split.</summary>
    [JsonPropertyName("eval_data")] public string? EvalData { get; init; } = "synth:math";

    /// <summary>Samples generated for a synth train set.</summary>
    [JsonPropertyName("synth_train_samples")] public int SynthTrainSamples { get; init; } = 2000;

    /// <summary>Samples generated for a synth eval set.</summary>
    [JsonPropertyName("synth_eval_samples")] public int SynthEvalSamples { get; init; } = 128;

    /// <summary>JSONL format; auto detects it per file.</summary>
    [JsonPropertyName("format")] public SampleFormat Format { get; init; } = SampleFormat.Auto;

    /// <summary>Skip malformed data lines (counted and reported) instead of stopping at the first.</summary>
    [JsonPropertyName("skip_bad_lines")] public bool SkipBadLines { get; init; }

    /// <summary>Tokenizer: "byte" (built-in) or a tokenizer.json / tokenizer.model / folder.</summary>
    [JsonPropertyName("tokenizer")] public string Tokenizer { get; init; } = "byte";

    /// <summary>Chat template: auto (the tokenizer's own, else plain), plain, chatml, llama2, or a Jinja file / tokenizer_config.json.</summary>
    [JsonPropertyName("template")] public string Template { get; init; } = "auto";

    /// <summary>Train on prompt tokens too (default: only on responses).</summary>
    [JsonPropertyName("train_on_inputs")] public bool TrainOnInputs { get; init; }

    /// <summary>Longest sequence; longer samples follow <see cref="Truncation"/>.</summary>
    [JsonPropertyName("max_seq_length")] public int MaxSeqLength { get; init; } = DefaultMaxSeqLength;

    /// <summary>What happens to a sample longer than <see cref="MaxSeqLength"/>.</summary>
    [JsonPropertyName("truncation")] public TruncationPolicy Truncation { get; init; } = DefaultTruncation;

    /// <summary>Pack several samples into one row (see the README for the attention trade-off).</summary>
    [JsonPropertyName("packing")] public bool Packing { get; init; }

    /// <summary>Group samples of similar length into batches.</summary>
    [JsonPropertyName("group_by_length")] public bool GroupByLength { get; init; }

    /// <summary>GMT or one of its baselines.</summary>
    [JsonPropertyName("method")] public TrainingMethod Method { get; init; } = TrainingMethod.Gmt;

    /// <summary>Share of gradient entries masked each step (GMT, RMT; SFT and HFT do not use it).</summary>
    [JsonPropertyName("mask_ratio")] public double MaskRatio { get; init; } = DefaultMaskRatio;

    /// <summary>tensor (threshold per parameter) or global (one threshold).</summary>
    [JsonPropertyName("mask_scope")] public MaskScope MaskScope { get; init; } = MaskScope.Tensor;

    /// <summary>freeze (masked entries and their moments untouched) or zero-grad.</summary>
    [JsonPropertyName("mask_mode")] public MaskedEntryMode MaskMode { get; init; } = MaskedEntryMode.Freeze;

    /// <summary>The optimizer.</summary>
    [JsonPropertyName("optimizer")] public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Peak learning rate.</summary>
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay (AdamW) or L2 (SGD).</summary>
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }

    /// <summary>AdamW β1.</summary>
    [JsonPropertyName("adam_beta1")] public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>AdamW β2.</summary>
    [JsonPropertyName("adam_beta2")] public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>AdamW ε.</summary>
    [JsonPropertyName("adam_epsilon")] public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>SGD momentum.</summary>
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = 0.9;

    /// <summary>The learning rate's shape after the warm-up.</summary>
    [JsonPropertyName("lr_scheduler")] public ScheduleKind LrScheduler { get; init; } = ScheduleKind.Cosine;

    /// <summary>Share of steps spent in linear warm-up.</summary>
    [JsonPropertyName("warmup_ratio")] public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Floor of the decay, as a share of the peak rate.</summary>
    [JsonPropertyName("min_lr_ratio")] public double MinLrRatio { get; init; }

    /// <summary>Clip the mean gradient to this global norm; null = no clipping.</summary>
    [JsonPropertyName("max_grad_norm")] public double? MaxGradNorm { get; init; }

    /// <summary>Samples per micro-batch.</summary>
    [JsonPropertyName("micro_batch_size")] public int MicroBatchSize { get; init; } = 8;

    /// <summary>Micro-batches per optimizer step (N of the paper's Γ).</summary>
    [JsonPropertyName("gradient_accumulation_steps")] public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Optimizer steps; when null, <see cref="NumEpochs"/> decides.</summary>
    [JsonPropertyName("max_steps")] public int? MaxSteps { get; init; } = 200;

    /// <summary>Epochs, used when <see cref="MaxSteps"/> is null.</summary>
    [JsonPropertyName("num_epochs")] public double NumEpochs { get; init; } = 1;

    /// <summary>Evaluate every this many steps (0 = only at the start and the end).</summary>
    [JsonPropertyName("eval_steps")] public int EvalSteps { get; init; } = 50;

    /// <summary>Cap on eval batches per evaluation (0 = the whole eval set).</summary>
    [JsonPropertyName("eval_max_batches")] public int EvalMaxBatches { get; init; }

    /// <summary>Checkpoint every this many steps (0 = only at the end).</summary>
    [JsonPropertyName("save_steps")] public int SaveSteps { get; init; } = 100;

    /// <summary>Keep the newest this many checkpoints.</summary>
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;

    /// <summary>Seed of data order, masks and initialisation.</summary>
    [JsonPropertyName("seed")] public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Intra-op threads (0 = all cores).</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>Execution provider of the training graphs.</summary>
    [JsonPropertyName("device")] public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Run mask and optimizer as ONNX graphs instead of the host pass (always on for cuda).</summary>
    [JsonPropertyName("graph_optimizer")] public bool GraphOptimizer { get; init; }

    /// <summary>Start afresh in a run folder that already holds checkpoints, deleting them (otherwise that is an error).</summary>
    [JsonPropertyName("overwrite_output_dir")] public bool OverwriteOutputDir { get; init; }

    /// <summary>Resume from a checkpoint folder, or "latest" for the newest in the run folder.</summary>
    [JsonPropertyName("resume_from_checkpoint")] public string? ResumeFromCheckpoint { get; init; }

    /// <summary>
    /// With synthetic eval data, also measure answer accuracy (greedy generation judged by the task's
    /// checker) of the model before and after training.
    /// </summary>
    [JsonPropertyName("eval_accuracy")] public bool EvalAccuracy { get; init; } = true;

    /// <summary>Longest answer generated when measuring accuracy.</summary>
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; } = 48;

    /// <summary>Write PNG plots at the end.</summary>
    [JsonPropertyName("plots")] public bool Plots { get; init; } = true;

    /// <summary>The seed a run uses unless told otherwise; <c>ortgmt data synth</c> uses it too, so its files match a run's.</summary>
    public const ulong DefaultSeed = 42;

    /// <summary>The longest sequence a run uses unless told otherwise; <c>ortgmt data inspect</c> uses it too.</summary>
    public const int DefaultMaxSeqLength = 256;

    /// <summary>The mask ratio of the GMT recipe.</summary>
    public const double DefaultMaskRatio = 0.3;

    /// <summary>The truncation a run uses unless told otherwise; <c>ortgmt data inspect</c> uses it too.</summary>
    public const TruncationPolicy DefaultTruncation = TruncationPolicy.Drop;

    /// <summary>The value of <see cref="TrainData"/> or <see cref="EvalData"/> that asks for a generated set ("synth:math").</summary>
    public const string SynthPrefix = "synth:";

    /// <summary>The value of <see cref="ResumeFromCheckpoint"/> that means the newest checkpoint in the run folder.</summary>
    public const string LatestCheckpoint = "latest";

    private static readonly JsonSerializerOptions Json = ConfigJson.CreateOptions();

    /// <summary>Reads and validates a run config; its relative paths are taken from the file's folder.</summary>
    public static TrainConfig Load(string path)
    {
        if (Directory.Exists(path)) throw new InvalidFileException(path, "is a folder; --config takes a JSON file");
        if (!File.Exists(path)) throw new InvalidFileException(path, "config file not found");
        var (config, lines) = Read(File.ReadAllText(path), path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return config.WithPathsFrom(folder, lines.Keys.ToHashSet()).Validate(path, lines);
    }

    /// <summary>Parses and validates run-config JSON; <paramref name="source"/> names it in errors. Relative paths stay as written.</summary>
    public static TrainConfig Parse(string json, string source = "<config>")
    {
        var (config, lines) = Read(json, source);
        return config.Validate(source, lines);
    }

    private static (TrainConfig, IReadOnlyDictionary<string, long>) Read(string json, string source) =>
        ConfigJson.Read<TrainConfig>(json, source, Json);

    /// <summary>The config as indented JSON with the config-file spellings (written into the run folder).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The config with every relative path among <paramref name="fields"/> (all path fields when null)
    /// made absolute from <paramref name="folder"/>. Names that are not paths ("tiny", "byte",
    /// "synth:math", "latest", built-in templates) stay as they are.
    /// </summary>
    public TrainConfig WithPathsFrom(string folder, IReadOnlySet<string>? fields = null)
    {
        string? Rebase(string field, string? value, bool isName)
        {
            if (value is null || isName || (fields is not null && !fields.Contains(field)) || Path.IsPathFullyQualified(value)) return value;
            return Path.GetFullPath(Path.Combine(folder, value));
        }
        return this with
        {
            Model = Rebase("model", Model, Models.LlamaConfig.BuiltInNames.Contains(Model))!,
            Artifacts = Rebase("artifacts", Artifacts, false),
            OutputDir = Rebase("output_dir", OutputDir, false)!,
            TrainData = Rebase("train_data", TrainData, TrainData.StartsWith(SynthPrefix, StringComparison.Ordinal))!,
            EvalData = Rebase("eval_data", EvalData, EvalData?.StartsWith(SynthPrefix, StringComparison.Ordinal) == true),
            Tokenizer = Rebase("tokenizer", Tokenizer, Tokenizer == Tokenizers.ByteTokenizer.BuiltInName)!,
            Template = Rebase("template", Template, Template == Data.Templates.BuiltIn.Auto || Data.Templates.BuiltIn.Find(Template) is not null)!,
            ResumeFromCheckpoint = Rebase("resume_from_checkpoint", ResumeFromCheckpoint, ResumeFromCheckpoint == LatestCheckpoint),
        };
    }

    /// <summary>Checks every field; throws <see cref="ConfigException"/> naming the first bad one (and its line, when <paramref name="lines"/> knows it).</summary>
    public TrainConfig Validate(string? source = null, IReadOnlyDictionary<string, long>? lines = null)
    {
        void Check(bool ok, string field, string problem)
        {
            if (!ok) throw new ConfigException(field, problem, source, lines is not null && lines.TryGetValue(field, out long line) ? line : null);
        }
        void Spelled<T>(T value, string field) where T : struct, Enum =>
            Check(Enum.IsDefined(value), field, $"{Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} is not one of {string.Join(", ", EnumSpelling.All<T>())}");
        Spelled(Method, "method");
        Spelled(MaskScope, "mask_scope");
        Spelled(MaskMode, "mask_mode");
        Spelled(Optimizer, "optimizer");
        Spelled(LrScheduler, "lr_scheduler");
        Spelled(Truncation, "truncation");
        Spelled(Format, "format");
        Spelled(Device, "device");
        Check(MaskRatio >= 0 && MaskRatio < 1, "mask_ratio", $"must be in [0, 1), got {MaskRatio}");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", $"must be positive, got {LearningRate}");
        Check(WeightDecay >= 0, "weight_decay", $"must be non-negative, got {WeightDecay}");
        Check(WarmupRatio >= 0 && WarmupRatio <= 1, "warmup_ratio", $"must be in [0, 1], got {WarmupRatio}");
        Check(MinLrRatio >= 0 && MinLrRatio <= 1, "min_lr_ratio", $"must be in [0, 1], got {MinLrRatio}");
        Check(MaxGradNorm is null or > 0, "max_grad_norm", $"must be positive, got {MaxGradNorm}");
        Check(MicroBatchSize >= 1, "micro_batch_size", $"must be at least 1, got {MicroBatchSize}");
        Check(MaxSteps is null or >= 1, "max_steps", $"must be at least 1, got {MaxSteps}");
        Check(NumEpochs > 0, "num_epochs", $"must be positive, got {NumEpochs}");
        Check(MaxSeqLength >= 2, "max_seq_length", $"must be at least 2, got {MaxSeqLength}");
        Check(EvalMaxBatches >= 0, "eval_max_batches", $"must be non-negative, got {EvalMaxBatches}");
        Check(MaxNewTokens >= 1, "max_new_tokens", $"must be at least 1, got {MaxNewTokens}");
        // Checked before any session or mask policy is built: GMT's selection keeps per-thread buffers, and
        // ONNX Runtime's threads spin, so a count past the processors stalls a run or exhausts memory.
        int processors = Math.Max(1, Environment.ProcessorCount);
        Check(Threads >= 0 && Threads <= processors, "threads",
            $"must be 0 (all {processors} logical processors) or a count up to {processors}, got {Threads}; more threads than processors only slow each step down");
        Check(SynthTrainSamples >= 1, "synth_train_samples", $"must be at least 1, got {SynthTrainSamples}");
        Check(SynthEvalSamples >= 1, "synth_eval_samples", $"must be at least 1, got {SynthEvalSamples}");
        Check(!string.IsNullOrWhiteSpace(OutputDir), "output_dir", "must not be empty");
        Check(!string.IsNullOrWhiteSpace(TrainData), "train_data", "must not be empty");
        try
        {
            ToAdamW().Validate();
            ToSgd().Validate();
            ToTrainer().Validate();
        }
        catch (ConfigException e)
        {
            Check(false, e.Field, e.Problem);
        }
        return this;
    }

    /// <summary>The AdamW settings this config asks for.</summary>
    public AdamWOptions ToAdamW() => new() { Beta1 = AdamBeta1, Beta2 = AdamBeta2, Epsilon = AdamEpsilon, WeightDecay = WeightDecay };

    /// <summary>The SGD settings this config asks for.</summary>
    public SgdOptions ToSgd() => new() { Momentum = Momentum, WeightDecay = WeightDecay };

    /// <summary>The training loop's settings this config asks for.</summary>
    public TrainerOptions ToTrainer() => new()
    {
        GradientAccumulationSteps = GradientAccumulationSteps,
        EvalSteps = EvalSteps,
        SaveSteps = SaveSteps,
        SaveTotalLimit = SaveTotalLimit,
    };
}
