using OrtGmt.Artifacts;

namespace OrtGmt.Data.Tokenization;

/// <summary>
/// A tokenized sample: <see cref="Ids"/> and, per token, whether it is trained (a target the model
/// must predict). Labels follow from these two by the shift in <see cref="Labels"/>.
/// </summary>
public sealed record EncodedSample(int[] Ids, bool[] Trained)
{
    /// <summary>Number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>Number of positions whose label is a real target.</summary>
    public int TargetCount
    {
        get
        {
            int n = 0;
            for (int t = 1; t < Trained.Length; t++) if (Trained[t]) n++;
            return n;
        }
    }

    /// <summary>1-based source line, for messages (0 when not from a file).</summary>
    public long Line { get; init; }

    /// <summary>
    /// Labels aligned with logits: <c>labels[t] = ids[t+1]</c> when token t+1 is trained, else −100;
    /// the last position is always −100 (it has no next token).
    /// </summary>
    public long[] Labels()
    {
        var labels = new long[Ids.Length];
        WriteLabels(labels);
        return labels;
    }

    /// <summary>Writes <see cref="Labels"/> into <paramref name="destination"/> (length ≥ <see cref="Length"/>).</summary>
    public void WriteLabels(Span<long> destination)
    {
        for (int t = 0; t < Ids.Length; t++)
            destination[t] = t + 1 < Ids.Length && Trained[t + 1] ? Ids[t + 1] : ArtifactContract.IgnoreIndex;
    }
}

/// <summary>A DPO preference pair: the same prompt with the chosen and with the rejected response.</summary>
public sealed record EncodedDpoPair(EncodedSample Chosen, EncodedSample Rejected)
{
    /// <summary>Number of leading tokens the two sequences share (the prompt).</summary>
    public int PromptLength
    {
        get
        {
            int n = 0;
            while (n < Chosen.Length && n < Rejected.Length && Chosen.Ids[n] == Rejected.Ids[n] && !Chosen.Trained[n]) n++;
            return n;
        }
    }
}
