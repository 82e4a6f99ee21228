using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>A generator of one synthetic task, with its answer checker.</summary>
public interface ISyntheticTask
{
    /// <summary>The CLI name (math, code, general, pretrain).</summary>
    string Name { get; }

    /// <summary>One sample drawn from <paramref name="rng"/> (deterministic given its state).</summary>
    SyntheticSample Generate(Rng rng);

    /// <summary>Whether <paramref name="modelOutput"/> (the text generated after the prompt) answers <paramref name="sample"/> correctly.</summary>
    bool IsCorrect(SyntheticSample sample, string modelOutput);
}
