using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>
/// Multi-step arithmetic word problems in the style of GSM8K: a short story, a worked chain of
/// thought with each step's arithmetic, and the final answer after <c>####</c>. Numbers stay small
/// and texts short (under ~200 bytes) for byte-level models with 256-token contexts.
/// </summary>
public sealed class MathTask : ISyntheticTask
{
    /// <summary>The sample kind.</summary>
    public const string Kind = "math";

    /// <inheritdoc />
    public string Name => Kind;

    /// <inheritdoc />
    public SyntheticSample Generate(Rng rng)
    {
        string name = Vocab.Pick(rng, Vocab.Names), he = Vocab.Pronoun(name), item = Vocab.Pick(rng, Vocab.Items);
        int a, b, c, r;
        string q, steps;
        switch (rng.NextInt(5))
        {
            case 0:
                a = Vocab.Between(rng, 2, 20); b = Vocab.Between(rng, 2, 20); c = Vocab.Between(rng, 1, a + b);
                r = a + b - c;
                q = $"{name} has {a} {item}. {he} buys {b} more and gives away {c}. How many {item} does {name} have now?";
                steps = $"{a} + {b} = {a + b}. {a + b} - {c} = {r}.";
                break;
            case 1:
                a = Vocab.Between(rng, 2, 9); b = Vocab.Between(rng, 2, 9); c = Vocab.Between(rng, 1, a * b);
                r = a * b - c;
                q = $"A box holds {a} {item}. {name} buys {b} boxes and loses {c} {item}. How many {item} are left?";
                steps = $"{a} * {b} = {a * b}. {a * b} - {c} = {r}.";
                break;
            case 2:
                a = Vocab.Between(rng, 2, 12); b = Vocab.Between(rng, 2, 8); c = Vocab.Between(rng, 1, a * b);
                r = a * b - c;
                q = $"{name} earns {a} dollars an hour and works {b} hours. {he} spends {c} dollars. How many dollars are left?";
                steps = $"{a} * {b} = {a * b}. {a * b} - {c} = {r}.";
                break;
            case 3:
                b = Vocab.Between(rng, 2, 6); int each = Vocab.Between(rng, 2, 9); a = b * each; c = Vocab.Between(rng, 1, 9);
                r = each + c;
                q = $"{name} shares {a} {item} equally among {b} friends. Each friend then gets {c} more. How many {item} does each friend have?";
                steps = $"{a} / {b} = {each}. {each} + {c} = {r}.";
                break;
            default:
                a = Vocab.Between(rng, 2, 15); b = Vocab.Between(rng, 2, 7); c = Vocab.Between(rng, 1, 20);
                r = a * b + c;
                q = $"{name} reads {a} pages a day for {b} days, then {c} more pages. How many pages does {name} read in total?";
                steps = $"{a} * {b} = {a * b}. {a * b} + {c} = {r}.";
                break;
        }
        string answer = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new SyntheticSample(Kind, q, $"{steps}\n{AnswerCheck.Marker} {answer}", answer);
    }

    /// <inheritdoc />
    public bool IsCorrect(SyntheticSample sample, string modelOutput) => AnswerCheck.MathCorrect(sample.Answer, modelOutput);
}
