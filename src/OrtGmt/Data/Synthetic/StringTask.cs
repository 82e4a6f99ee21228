using System.Globalization;
using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>String tasks for the general mixture: reverse a word, sort numbers, count a letter, word length.</summary>
internal static class StringTask
{
    public static SyntheticSample Generate(Rng rng)
    {
        switch (rng.NextInt(4))
        {
            case 0:
                {
                    // Half vocabulary words, half random letters: 16 words alone would give 16 distinct prompts.
                    string w = rng.NextInt(2) == 0
                        ? Vocab.Pick(rng, Vocab.Words)
                        : new string(Enumerable.Range(0, Vocab.Between(rng, 3, 6)).Select(_ => Vocab.Pick(rng, Vocab.Letters)).ToArray());
                    string r = new(w.Reverse().ToArray());
                    return new SyntheticSample("reverse", $"Reverse the word: {w}", r, r);
                }
            case 1:
                {
                    int n = Vocab.Between(rng, 3, 6);
                    var xs = Enumerable.Range(0, n).Select(_ => Vocab.Between(rng, 0, 99)).ToArray();
                    string sorted = string.Join(" ", xs.Order());
                    return new SyntheticSample("sort", $"Sort these numbers: {string.Join(" ", xs)}", sorted, sorted);
                }
            case 2:
                {
                    string w = Vocab.Pick(rng, Vocab.Words) + Vocab.Pick(rng, Vocab.Words);
                    char c = rng.NextInt(3) == 0 ? Vocab.Pick(rng, Vocab.Letters) : w[rng.NextInt(w.Length)];
                    string count = w.Count(ch => ch == c).ToString(CultureInfo.InvariantCulture);
                    return new SyntheticSample("count", $"How many times does '{c}' appear in '{w}'?", count, count);
                }
            default:
                {
                    string w = Vocab.Pick(rng, Vocab.Words) + (rng.NextInt(2) == 0 ? "" : Vocab.Pick(rng, Vocab.Words));
                    string len = w.Length.ToString(CultureInfo.InvariantCulture);
                    return new SyntheticSample("length", $"How many letters are in '{w}'?", len, len);
                }
        }
    }
}

/// <summary>
/// The general mixture: a quarter math, a quarter code, half string tasks (reversal, sorting,
/// counting, length). The checker follows each sample's kind.
/// </summary>
public sealed class GeneralTask : ISyntheticTask
{
    private readonly MathTask _math = new();
    private readonly CodeTask _code = new();

    /// <inheritdoc />
    public string Name => "general";

    /// <inheritdoc />
    public SyntheticSample Generate(Rng rng) => rng.NextInt(4) switch
    {
        0 => _math.Generate(rng),
        1 => _code.Generate(rng),
        _ => StringTask.Generate(rng),
    };

    /// <inheritdoc />
    public bool IsCorrect(SyntheticSample sample, string modelOutput) => sample.Kind switch
    {
        MathTask.Kind => _math.IsCorrect(sample, modelOutput),
        _ => AnswerCheck.FirstLineCorrect(sample.Answer, modelOutput),
    };
}
