using System.Text.Json;
using OrtGmt.Artifacts;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.IO;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Randomness;
using OrtGmt.SafeTensors;

namespace OrtGmt.Training.Checkpoints;

/// <summary>
/// Everything needed to continue training: parameters (safetensors, keyed by initializer name),
/// optimizer state (safetensors: one tensor per parameter and buffer, PyTorch's buffer names), the
/// mask policy's state (JSON) and trainer state (JSON). A checkpoint is a folder written under a temporary name and renamed into
/// place when complete, so a crash never leaves a half-written checkpoint behind. The counterpart of
/// ONNX Runtime's <c>CheckpointState</c>, prefixed so a program can import both namespaces.
/// </summary>
public sealed class GmtCheckpointState
{
    /// <summary>Parameters file of a checkpoint folder.</summary>
    public const string ModelFile = "model.safetensors";

    /// <summary>Optimizer state file of a checkpoint folder.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>Trainer state file of a checkpoint folder.</summary>
    public const string TrainerFile = "trainer_state.json";

    /// <summary>Mask policy state file of a checkpoint folder.</summary>
    public const string MaskPolicyFile = "mask_policy.json";

    // Checkpoints written before mask_policy.json kept RMT's generator in the trainer state.
    private const string LegacyMethodKey = "method", LegacyMaskRngKey = "mask_rng";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private const string OptimizerNameKey = "optimizer";
    private const string StepKey = "step";

    /// <summary>The artifacts' manifest the buffers are laid out by.</summary>
    public ArtifactManifest Manifest { get; }

    /// <summary>Flat parameters (the session trains this array in place).</summary>
    public float[] Parameters { get; }

    /// <summary>Optimizer state, or null for a fresh start.</summary>
    public OptimizerState? Optimizer { get; set; }

    /// <summary>The mask policy's state (RMT's generator), or null for a fresh start.</summary>
    public MaskPolicyState? MaskPolicy { get; set; }

    /// <summary>Trainer state as a JSON object (step, data cursor, ...), or null for a fresh start.</summary>
    public JsonElement? Trainer { get; set; }

    private GmtCheckpointState(ArtifactManifest manifest, float[] parameters)
    {
        Manifest = manifest;
        Parameters = parameters;
    }

    /// <summary>The initial state of an artifact folder (its checkpoint/model.safetensors, no optimizer state).</summary>
    public static GmtCheckpointState FromArtifacts(string artifactsDir)
    {
        var manifest = ArtifactManifest.Load(Path.Combine(artifactsDir, ArtifactManifest.FileName));
        return new GmtCheckpointState(manifest, ParameterFile.Read(Path.Combine(artifactsDir, manifest.Files.Checkpoint), manifest.Parameters));
    }

    /// <summary>Loads a checkpoint folder written by <see cref="Save"/> for the artifacts of <paramref name="manifest"/>.</summary>
    public static GmtCheckpointState Load(string checkpointDir, ArtifactManifest manifest)
    {
        if (!Directory.Exists(checkpointDir)) throw new OrtGmtException($"checkpoint folder '{checkpointDir}' not found");
        var state = new GmtCheckpointState(manifest, ParameterFile.Read(Path.Combine(checkpointDir, ModelFile), manifest.Parameters));
        string optimizerPath = Path.Combine(checkpointDir, OptimizerFile);
        if (File.Exists(optimizerPath)) state.Optimizer = ReadOptimizer(optimizerPath, manifest);
        string trainerPath = Path.Combine(checkpointDir, TrainerFile);
        if (File.Exists(trainerPath))
        {
            try { state.Trainer = JsonDocument.Parse(File.ReadAllText(trainerPath)).RootElement.Clone(); }
            catch (JsonException e) { throw new InvalidFileException(trainerPath, $"not valid JSON: {e.Message}", e.LineNumber + 1, e); }
        }
        string policyPath = Path.Combine(checkpointDir, MaskPolicyFile);
        state.MaskPolicy = File.Exists(policyPath) ? ReadMaskPolicy(policyPath) : LegacyMaskPolicy(state.Trainer, trainerPath);
        return state;
    }

    private static MaskPolicyState ReadMaskPolicy(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MaskPolicyState>(File.ReadAllText(path))
                ?? throw new InvalidFileException(path, "empty mask policy state");
        }
        catch (JsonException e) { throw new InvalidFileException(path, $"not a valid mask policy state: {e.Message}", e.LineNumber + 1, e); }
    }

    private static MaskPolicyState? LegacyMaskPolicy(JsonElement? trainer, string path)
    {
        if (trainer is not { ValueKind: JsonValueKind.Object } t || !t.TryGetProperty(LegacyMaskRngKey, out var rng) || rng.ValueKind == JsonValueKind.Null) return null;
        try
        {
            return new MaskPolicyState
            {
                Method = t.GetProperty(LegacyMethodKey).Deserialize<TrainingMethod>(),
                Rng = rng.Deserialize<RngState>(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException) { throw new InvalidFileException(path, $"'{LegacyMaskRngKey}' without a valid '{LegacyMethodKey}': {e.Message}", null, e); }
    }

    /// <summary>
    /// Writes the parameters, <paramref name="optimizer"/> state, <paramref name="maskPolicy"/> state and
    /// trainer state to <paramref name="checkpointDir"/>: all files into a temporary sibling folder
    /// first, then one rename.
    /// </summary>
    public void Save(string checkpointDir, OptimizerState? optimizer, MaskPolicyState? maskPolicy, object? trainerState)
    {
        string full = Path.GetFullPath(checkpointDir);
        string temp = full + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        ParameterFile.Write(Path.Combine(temp, ModelFile), Parameters, Manifest.Parameters, new Dictionary<string, string> { ["format"] = "pt" });
        if (optimizer is not null) WriteOptimizer(Path.Combine(temp, OptimizerFile), optimizer, Manifest);
        if (maskPolicy is not null) AtomicFile.WriteAllText(Path.Combine(temp, MaskPolicyFile), JsonSerializer.Serialize(maskPolicy, Json));
        if (trainerState is not null) AtomicFile.WriteAllText(Path.Combine(temp, TrainerFile), JsonSerializer.Serialize(trainerState, Json));
        if (Directory.Exists(full))
        {
            string old = full + ".old";
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            Directory.Move(full, old);
            Directory.Move(temp, full);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(temp, full);
    }

    private static void WriteOptimizer(string path, OptimizerState state, ArtifactManifest manifest)
    {
        var tensors = new List<SafeTensor>();
        foreach (var (buffer, flat) in state.Buffers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var p in manifest.Parameters)
                tensors.Add(SafeTensor.FromFloats($"{buffer}/{p.Name}", p.Shape, flat.AsSpan((int)p.Offset, (int)p.Numel)));
        }
        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string>
        {
            [OptimizerNameKey] = EnumSpelling.Of(state.Optimizer),
            [StepKey] = state.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static OptimizerState ReadOptimizer(string path, ArtifactManifest manifest)
    {
        var (tensors, metadata) = SafeTensorsFile.ReadWithMetadata(path);
        if (!metadata.TryGetValue(OptimizerNameKey, out var name) || !EnumSpelling.TryParse(name, out OptimizerKind kind))
            throw new InvalidFileException(path, $"metadata has no valid '{OptimizerNameKey}' (one of {string.Join(", ", EnumSpelling.All<OptimizerKind>())})");
        if (!metadata.TryGetValue(StepKey, out var stepText) || !long.TryParse(stepText, System.Globalization.CultureInfo.InvariantCulture, out long step))
            throw new InvalidFileException(path, $"metadata has no valid '{StepKey}'");
        var byName = tensors.ToDictionary(t => t.Name);
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var bufferName in tensors.Select(t => t.Name.Split('/')[0]).Distinct())
        {
            var flat = new float[manifest.TotalElements];
            foreach (var p in manifest.Parameters)
            {
                if (!byName.TryGetValue($"{bufferName}/{p.Name}", out var t))
                    throw new InvalidFileException(path, $"optimizer buffer '{bufferName}' has no entry for parameter '{p.Name}'");
                if (!t.Shape.SequenceEqual(p.Shape))
                    throw new InvalidFileException(path, $"'{t.Name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", p.Shape)}]");
                t.CopyTo(flat.AsSpan((int)p.Offset, (int)p.Numel));
            }
            buffers[bufferName] = flat;
        }
        return new OptimizerState(kind, step, buffers);
    }
}
