using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.Errors;
using OrtGmt.IO;
using OrtGmt.Layout;
using OrtGmt.Optimizers;

namespace OrtGmt.Artifacts;

/// <summary>Which graph files an artifact folder holds.</summary>
public sealed record ArtifactFiles
{
    /// <summary>Forward + loss + gradients.</summary>
    [JsonPropertyName("training_model")] public string TrainingModel { get; init; } = "training_model.onnx";

    /// <summary>Forward + loss.</summary>
    [JsonPropertyName("eval_model")] public string EvalModel { get; init; } = "eval_model.onnx";

    /// <summary>Optimizer over flat buffers, for device execution providers.</summary>
    [JsonPropertyName("optimizer_model")] public string OptimizerModel { get; init; } = "optimizer_model.onnx";

    /// <summary>Per-tensor top-k gradient mask over the flat gradient, for device execution providers.</summary>
    [JsonPropertyName("mask_model")] public string GradientMaskModel { get; init; } = "mask_model.onnx";

    /// <summary>Global top-k gradient mask over the flat gradient.</summary>
    [JsonPropertyName("mask_global_model")] public string GradientMaskGlobalModel { get; init; } = "mask_global_model.onnx";

    /// <summary>Initial parameters, keyed by initializer name.</summary>
    [JsonPropertyName("checkpoint")] public string Checkpoint { get; init; } = "checkpoint/model.safetensors";

    /// <summary>The forward model the artifacts were made from, copied for export and inference.</summary>
    [JsonPropertyName("forward_model")] public string ForwardModel { get; init; } = "forward.onnx";
}

/// <summary>
/// manifest.json of an artifact folder: the contract between `ortgmt artifacts` (writer) and the
/// training session (reader). Parameters are listed in training-graph input order; their offsets
/// tile the flat buffers contiguously.
/// </summary>
public sealed record ArtifactManifest
{
    /// <summary>The manifest's file name in an artifact folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Format tag checked on load.</summary>
    public const string FormatName = "ortgmt-artifacts";

    /// <summary>Current format version.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    /// <summary>Format version.</summary>
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;

    /// <summary>Generator name and version ("ortgmt 0.1.0").</summary>
    [JsonPropertyName("generator")] public string Generator { get; init; } = "";

    /// <summary>SHA-256 of the forward model file the artifacts were made from.</summary>
    [JsonPropertyName("source_sha256")] public string SourceSha256 { get; init; } = "";

    /// <summary>The graph files.</summary>
    [JsonPropertyName("files")] public ArtifactFiles Files { get; init; } = new();

    /// <summary>Data inputs of the training and eval graphs, in order (e.g. input_ids, labels).</summary>
    [JsonPropertyName("data_inputs")] public required string[] DataInputs { get; init; }

    /// <summary>Inputs the graphs accept but do not require (they have defaults), e.g. attention_mask.</summary>
    [JsonPropertyName("optional_inputs")] public string[] OptionalInputs { get; init; } = [];

    /// <summary>Vocabulary size (last dimension of the logits), when the model states it.</summary>
    [JsonPropertyName("vocab")] public int? Vocab { get; init; }

    /// <summary>Name of the loss output (first output of the training and eval graphs).</summary>
    [JsonPropertyName("loss")] public string Loss { get; init; } = ArtifactContract.Loss;

    /// <summary>Optimizer the optimizer graph implements.</summary>
    [JsonPropertyName("optimizer")] public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Trainable parameters in flat-buffer order.</summary>
    [JsonPropertyName("params")] public required ParameterEntry[] Parameters { get; init; }

    /// <summary>Float initializers kept frozen (constants of the training graph).</summary>
    [JsonPropertyName("frozen")] public string[] Frozen { get; init; } = [];

    /// <summary>Things the generator noticed and the user should know (e.g. an untied exported weight).</summary>
    [JsonPropertyName("warnings")] public string[] Warnings { get; init; } = [];

    /// <summary>Total number of trainable elements (length of the flat buffers).</summary>
    [JsonIgnore] public long TotalElements => Parameters.Length == 0 ? 0 : Parameters[^1].Offset + Parameters[^1].Numel;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the manifest to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads and validates a manifest; offsets must tile the flat buffer with no gaps or overlaps.</summary>
    public static ArtifactManifest Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidFileException(path, "manifest not found (is this an artifact folder made by `ortgmt artifacts`?)");
        ArtifactManifest? m;
        try { m = JsonSerializer.Deserialize<ArtifactManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidFileException(path, $"not a valid manifest: {e.Message}", e.LineNumber + 1, e); }
        if (m is null) throw new InvalidFileException(path, "empty manifest");
        if (m.Format != FormatName) throw new InvalidFileException(path, $"format is '{m.Format}', expected '{FormatName}'");
        if (m.Version != CurrentVersion) throw new InvalidFileException(path, $"format version {m.Version} is not supported (this build reads {CurrentVersion})");
        long expected = 0;
        foreach (var p in m.Parameters)
        {
            long numel = p.Shape.Aggregate(1L, (a, d) => d < 0 ? -1 : a * d);
            if (numel != p.Numel) throw new InvalidFileException(path, $"parameter '{p.Name}': numel {p.Numel} does not match shape [{string.Join(", ", p.Shape)}]");
            if (p.Offset != expected) throw new InvalidFileException(path, $"parameter '{p.Name}': offset {p.Offset}, expected {expected} (offsets must tile the flat buffer)");
            expected += p.Numel;
        }
        return m;
    }
}
