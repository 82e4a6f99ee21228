using OrtGmt.Errors;
using OrtGmt.IO;
using OrtGmt.Onnx;
using OrtGmt.SafeTensors;

namespace OrtGmt.Models;

/// <summary>
/// A built-in model on disk: config.json, forward.onnx (weights inline, or external above 2 GB)
/// and model.safetensors with the same weights keyed by initializer name.
/// </summary>
public static class ModelFolder
{
    /// <summary>File name of the config.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>File name of the forward ONNX model.</summary>
    public const string ForwardFile = "forward.onnx";

    /// <summary>File name of the weights.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Writes the three files of a model folder.</summary>
    public static void Write(string dir, LlamaConfig config, IReadOnlyDictionary<string, float[]> weights)
    {
        Directory.CreateDirectory(dir);
        var model = LlamaGraph.Build(config, weights);
        OnnxFile.Save(model, Path.Combine(dir, ForwardFile));
        var shapes = LlamaWeights.Shapes(config);
        SafeTensorsFile.Write(Path.Combine(dir, WeightsFile),
            shapes.Select(s => SafeTensor.FromFloats(s.Name, s.Shape, weights[s.Name])),
            new Dictionary<string, string> { ["format"] = "pt", ["producer"] = "ortgmt" });
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), config.ToJson());
    }

    /// <summary>Reads float weights from a safetensors file into a dictionary by name.</summary>
    public static Dictionary<string, float[]> ReadWeights(string path) =>
        SafeTensorsFile.Read(path).ToDictionary(t => t.Name, t => t.ToFloats(), StringComparer.Ordinal);

    /// <summary>Loads the config and weights of a model folder.</summary>
    public static (LlamaConfig Config, Dictionary<string, float[]> Weights) Read(string dir)
    {
        if (!Directory.Exists(dir)) throw new OrtGmtException($"model folder '{dir}' not found");
        var config = LlamaConfig.Load(Path.Combine(dir, ConfigFile));
        var weights = ReadWeights(Path.Combine(dir, WeightsFile));
        LlamaWeights.Check(config, weights, Path.Combine(dir, WeightsFile));
        return (config, weights);
    }
}
