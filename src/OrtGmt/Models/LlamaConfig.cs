using System.Text.Json;
using System.Text.Json.Serialization;
using OrtGmt.Errors;

namespace OrtGmt.Models;

/// <summary>
/// Configuration of the built-in Llama-style decoder family (JSON, snake_case keys). Every field is
/// validated with a message naming it.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Vocabulary size (259 for the built-in byte-level tokenizer).</summary>
    [JsonPropertyName("vocab")] public int Vocab { get; init; } = 259;

    /// <summary>Hidden size.</summary>
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 64;

    /// <summary>Number of decoder layers.</summary>
    [JsonPropertyName("layers")] public int Layers { get; init; } = 2;

    /// <summary>Attention (query) heads.</summary>
    [JsonPropertyName("heads")] public int Heads { get; init; } = 4;

    /// <summary>Key/value heads (grouped-query attention when fewer than <see cref="Heads"/>).</summary>
    [JsonPropertyName("kv_heads")] public int KvHeads { get; init; } = 2;

    /// <summary>Inner size of the SwiGLU MLP.</summary>
    [JsonPropertyName("ffn")] public int Ffn { get; init; } = 172;

    /// <summary>Longest sequence the rotary tables cover.</summary>
    [JsonPropertyName("max_seq")] public int MaxSeq { get; init; } = 256;

    /// <summary>Rotary embedding base.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("norm_eps")] public double NormEps { get; init; } = 1e-5;

    /// <summary>Tie the output head to the token embedding.</summary>
    [JsonPropertyName("tie")] public bool Tie { get; init; } = true;

    /// <summary>Standard deviation of the normal initialisation of matrices and embeddings.</summary>
    [JsonPropertyName("init_std")] public double InitStd { get; init; } = 0.02;

    /// <summary>Seed of the deterministic initialisation.</summary>
    [JsonPropertyName("seed")] public ulong Seed { get; init; } = 1234;

    /// <summary>Size of one attention head.</summary>
    [JsonIgnore] public int HeadDim => DModel / Heads;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Checks every field; throws <see cref="ConfigException"/> naming the first bad one.</summary>
    public LlamaConfig Validate(string? source = null)
    {
        void Positive(string field, long v)
        {
            if (v <= 0) throw new ConfigException(field, $"must be positive, got {v}", source);
        }
        Positive("vocab", Vocab);
        Positive("d_model", DModel);
        Positive("layers", Layers);
        Positive("heads", Heads);
        Positive("kv_heads", KvHeads);
        Positive("ffn", Ffn);
        Positive("max_seq", MaxSeq);
        if (DModel % Heads != 0) throw new ConfigException("heads", $"d_model {DModel} is not divisible by heads {Heads}", source);
        if (HeadDim % 2 != 0) throw new ConfigException("heads", $"head size d_model/heads = {HeadDim} must be even for rotary embeddings", source);
        if (Heads % KvHeads != 0) throw new ConfigException("kv_heads", $"heads {Heads} is not a multiple of kv_heads {KvHeads}", source);
        if (!(RopeTheta > 1)) throw new ConfigException("rope_theta", $"must be greater than 1, got {RopeTheta}", source);
        if (!(NormEps > 0)) throw new ConfigException("norm_eps", $"must be positive, got {NormEps}", source);
        if (!(InitStd > 0)) throw new ConfigException("init_std", $"must be positive, got {InitStd}", source);
        return this;
    }

    /// <summary>Reads and validates a config file; unknown keys and wrong types are errors naming the field.</summary>
    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidFileException(path, "config file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates config JSON; <paramref name="source"/> names it in errors.</summary>
    public static LlamaConfig Parse(string json, string source = "<config>")
    {
        LlamaConfig? config;
        try { config = JsonSerializer.Deserialize<LlamaConfig>(json, Json); }
        catch (JsonException e)
        {
            string field = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "(document)";
            throw new ConfigException(field, e.Message, source);
        }
        return (config ?? throw new ConfigException("(document)", "empty config", source)).Validate(source);
    }

    /// <summary>The config as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Names of the configs shipped with OrtGmt (use them in place of a path).</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["tiny", "small"];

    /// <summary>A shipped config by name (<see cref="BuiltInNames"/>), or a config file by path.</summary>
    public static LlamaConfig LoadNamedOrFile(string nameOrPath)
    {
        if (BuiltInNames.Contains(nameOrPath))
        {
            using var stream = typeof(LlamaConfig).Assembly.GetManifestResourceStream($"OrtGmt.Models.Configs.{nameOrPath}.json")
                ?? throw new InvalidOperationException($"built-in config '{nameOrPath}' is missing from the assembly");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), $"built-in config '{nameOrPath}'");
        }
        return Load(nameOrPath);
    }
}
