using OrtGmt.Errors;
using OrtGmt.Models;
using OrtGmt.Tokenizers;

namespace OrtGmt.Recipes;

/// <summary>
/// The model a run starts from — a built-in config, a model folder or a forward .onnx file — found
/// and checked against the run's tokenizer and sequence length before anything is written.
/// </summary>
internal sealed class ModelSource
{
    private readonly string? _builtIn;
    private readonly string? _forward;

    private ModelSource(string? builtIn, string? forward, LlamaConfig? config, string? configFile)
    {
        _builtIn = builtIn;
        _forward = forward;
        Config = config;
        ConfigFile = configFile;
    }

    /// <summary>The model's config, when known (built-in models and folders with a config.json).</summary>
    public LlamaConfig? Config { get; }

    /// <summary>The config.json the model came with, when it has one.</summary>
    public string? ConfigFile { get; private set; }

    /// <summary>Finds <c>model</c> and checks it against the tokenizer and <c>max_seq_length</c>.</summary>
    public static ModelSource Resolve(TrainConfig config, ITextTokenizer tokenizer)
    {
        var source = Find(config);
        if (source.Config is { } c)
        {
            string where = source.ConfigFile is { } f ? $" ({RunFolder.Display(f)})" : $" (built-in '{config.Model}')";
            if (config.MaxSeqLength > c.MaxSeq)
                throw new ConfigException("max_seq_length", $"{config.MaxSeqLength} is longer than the model's max_seq {c.MaxSeq}{where}");
            CheckVocabulary(tokenizer, c.Vocab, where);
        }
        return source;
    }

    /// <summary>The tokenizer's ids must all be rows of the model's embedding.</summary>
    public static void CheckVocabulary(ITextTokenizer tokenizer, int? modelVocab, string where = "")
    {
        if (modelVocab is { } v && tokenizer.VocabSize > v)
            throw new ConfigException("tokenizer", $"{tokenizer.Name} has {tokenizer.VocabSize} tokens but the model's vocabulary is {v}{where}");
    }

    /// <summary>
    /// The forward ONNX model of <paramref name="path"/>: the file itself, or the forward.onnx of a
    /// model folder. <paramref name="field"/> (a config field or a flag) names the option in errors.
    /// </summary>
    public static string ForwardOnnx(string path, string field)
    {
        if (Directory.Exists(path))
        {
            string forward = Path.Combine(path, ModelFolder.ForwardFile);
            return File.Exists(forward) ? forward : throw new ConfigException(field, $"folder '{path}' has no {ModelFolder.ForwardFile}");
        }
        return File.Exists(path) ? path : throw new ConfigException(field, $"'{path}' is neither a model folder nor an ONNX file");
    }

    /// <summary>The forward model to generate artifacts from; a built-in model is initialised into <paramref name="modelDir"/> first.</summary>
    public string Materialize(string modelDir, TrainRecipe.Hooks hooks)
    {
        if (_forward is not null) return _forward;
        hooks.OnInfo?.Invoke($"initialising the built-in '{_builtIn}' model into {RunFolder.Display(modelDir)}");
        ModelFolder.Write(modelDir, Config!, LlamaWeights.Initialize(Config!));
        ConfigFile = Path.Combine(modelDir, ModelFolder.ConfigFile);
        return Path.Combine(modelDir, ModelFolder.ForwardFile);
    }

    private static ModelSource Find(TrainConfig config)
    {
        string model = config.Model;
        if (LlamaConfig.BuiltInNames.Contains(model))
            return new ModelSource(model, null, LlamaConfig.LoadNamedOrFile(model) with { Seed = config.Seed }, null);
        if (!Directory.Exists(model) && !File.Exists(model))
            throw new ConfigException("model", $"'{model}' is neither a built-in model ({string.Join(", ", LlamaConfig.BuiltInNames)}), a model folder nor an ONNX file");
        string forward = ForwardOnnx(model, "model");
        // A folder written by `ortgmt init-model` or `train` says its max_seq and vocabulary; a bare .onnx file does not.
        string configFile = Path.Combine(model, ModelFolder.ConfigFile);
        return Directory.Exists(model) && File.Exists(configFile)
            ? new ModelSource(null, forward, LlamaConfig.Load(configFile), configFile)
            : new ModelSource(null, forward, null, null);
    }
}
