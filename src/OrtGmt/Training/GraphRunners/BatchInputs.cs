using Microsoft.ML.OnnxRuntime;
using OrtGmt.Artifacts;
using OrtGmt.Errors;
using OrtGmt.Runtime;

namespace OrtGmt.Training.GraphRunners;

/// <summary>
/// Which inputs of a training or eval graph a runner feeds from a batch, as the manifest lists them:
/// every data input must be one a batch carries and one the graph has; an optional input is fed
/// when the batch carries it and the graph takes it, and left to its default otherwise. The
/// attention mask may be either: a batch without one feeds all ones.
/// </summary>
internal sealed class BatchInputs
{
    private static readonly string[] Carried = [ArtifactContract.InputIds, ArtifactContract.Labels, ArtifactContract.AttentionMask];
    private static readonly string[] Required = [ArtifactContract.InputIds, ArtifactContract.Labels];

    private BatchInputs(bool feedsAttentionMask) => FeedsAttentionMask = feedsAttentionMask;

    /// <summary>True when the graph gets the batch's attention mask (all ones when the batch has none).</summary>
    public bool FeedsAttentionMask { get; }

    /// <summary>Reads the manifest's inputs for the graph of <paramref name="session"/>, loaded from <paramref name="graphPath"/>.</summary>
    public static BatchInputs For(ArtifactManifest manifest, InferenceSession session, string graphPath)
    {
        foreach (var name in manifest.DataInputs)
        {
            if (!Carried.Contains(name))
                throw new InvalidFileException(graphPath, $"the manifest lists data input '{name}', which a batch does not carry (it carries {string.Join(", ", Carried)})");
            if (!session.Takes(name))
                throw new InvalidFileException(graphPath, $"the graph has no input '{name}', which the manifest lists as a data input");
        }
        foreach (var name in Required)
        {
            if (!manifest.DataInputs.Contains(name))
                throw new InvalidFileException(graphPath, $"the manifest's data inputs ({string.Join(", ", manifest.DataInputs)}) lack '{name}'");
        }
        bool attentionMask = manifest.DataInputs.Contains(ArtifactContract.AttentionMask)
            || (manifest.OptionalInputs.Contains(ArtifactContract.AttentionMask) && session.Takes(ArtifactContract.AttentionMask));
        return new BatchInputs(attentionMask);
    }
}
