using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Models;
using OrtGmt.Optimizers;
using OrtGmt.Randomness;

namespace OrtGmt.Tests.Training;

/// <summary>Artifacts of a small built-in model and random batches, shared by the training tests.</summary>
internal static class TinyArtifacts
{
    public static LlamaConfig Config { get; } = LlamaConfig.LoadNamedOrFile("tiny") with { DModel = 32, Heads = 4, KvHeads = 2, Ffn = 64, MaxSeq = 128 };

    /// <summary>Writes the model and its artifacts under <paramref name="dir"/>; returns the artifact folder.</summary>
    public static string Create(string dir, OptimizerKind optimizer = OptimizerKind.AdamW)
    {
        string modelDir = Path.Combine(dir, "model");
        ModelFolder.Write(modelDir, Config, LlamaWeights.Initialize(Config));
        string artifacts = Path.Combine(dir, "artifacts");
        ArtifactGenerator.Generate(Path.Combine(modelDir, ModelFolder.ForwardFile), artifacts, new ArtifactOptions { Optimizer = optimizer });
        return artifacts;
    }

    /// <summary>A random batch with the last position and a few others ignored.</summary>
    public static Batch Batch(ulong seed, int batch = 2, int seq = 12)
    {
        var rng = new Rng(seed);
        var ids = new long[batch * seq];
        var labels = new long[batch * seq];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(Config.Vocab);
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seq; t++)
            {
                int i = b * seq + t;
                labels[i] = t == seq - 1 || t < 2 ? ArtifactContract.IgnoreIndex : ids[i + 1];
            }
        }
        return new Batch(ids, labels, null, batch, seq);
    }
}
