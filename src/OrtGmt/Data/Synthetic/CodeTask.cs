using System.Globalization;
using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>
/// Short programs in a Python-like syntax (assignments, for/while loops, if/else) whose printed
/// output is the answer. The generator computes the output as it writes the program, so no
/// interpreter is involved. The completion is the output alone.
/// </summary>
public sealed class CodeTask : ISyntheticTask
{
    /// <summary>The sample kind.</summary>
    public const string Kind = "code";

    /// <summary>The question every code prompt starts with.</summary>
    public const string Question = "What does this program print?";

    /// <inheritdoc />
    public string Name => Kind;

    /// <inheritdoc />
    public SyntheticSample Generate(Rng rng)
    {
        var (program, output) = rng.NextInt(5) switch
        {
            0 => Straight(rng),
            1 => ForSum(rng),
            2 => IfElse(rng),
            3 => ForIf(rng),
            _ => While(rng),
        };
        string answer = output.ToString(CultureInfo.InvariantCulture);
        return new SyntheticSample(Kind, $"{Question}\n{program}", answer, answer);
    }

    /// <inheritdoc />
    public bool IsCorrect(SyntheticSample sample, string modelOutput) => AnswerCheck.FirstLineCorrect(sample.Answer, modelOutput);

    private static (string X, string Y) TwoVars(Rng rng)
    {
        string x = Vocab.Pick(rng, Vocab.Vars), y;
        do y = Vocab.Pick(rng, Vocab.Vars); while (y == x);
        return (x, y);
    }

    private static (string, long) Straight(Rng rng)
    {
        var (x, y) = TwoVars(rng);
        long a = Vocab.Between(rng, 1, 9), b = Vocab.Between(rng, 1, 9), k = Vocab.Between(rng, 2, 4);
        bool plus = rng.NextInt(2) == 0;
        long xv = plus ? a + b : a - b;
        return ($"{x} = {a}\n{y} = {b}\n{x} = {x} {(plus ? "+" : "-")} {y}\nprint({x} * {k})", xv * k);
    }

    private static (string, long) ForSum(Rng rng)
    {
        var (s, i) = TwoVars(rng);
        long start = Vocab.Between(rng, 0, 5), n = Vocab.Between(rng, 2, 5), sum = start;
        for (long j = 0; j < n; j++) sum += j;
        return ($"{s} = {start}\nfor {i} in range({n}):\n    {s} = {s} + {i}\nprint({s})", sum);
    }

    private static (string, long) IfElse(Rng rng)
    {
        var (a, _) = TwoVars(rng);
        long v = Vocab.Between(rng, 1, 15), t = Vocab.Between(rng, 3, 12), d = Vocab.Between(rng, 1, 5);
        long output = v > t ? v - d : v + d;
        return ($"{a} = {v}\nif {a} > {t}:\n    print({a} - {d})\nelse:\n    print({a} + {d})", output);
    }

    private static (string, long) ForIf(Rng rng)
    {
        var (n, i) = TwoVars(rng);
        long count = Vocab.Between(rng, 3, 7), m = Vocab.Between(rng, 2, 3), total = 0;
        for (long j = 0; j < count; j++) if (j % m == 0) total += j;
        return ($"{n} = 0\nfor {i} in range({count}):\n    if {i} % {m} == 0:\n        {n} = {n} + {i}\nprint({n})", total);
    }

    private static (string, long) While(Rng rng)
    {
        var (x, _) = TwoVars(rng);
        long v = Vocab.Between(rng, 10, 30), limit = Vocab.Between(rng, 1, 9), step = Vocab.Between(rng, 2, 6);
        long cur = v;
        while (cur > limit) cur -= step;
        return ($"{x} = {v}\nwhile {x} > {limit}:\n    {x} = {x} - {step}\nprint({x})", cur);
    }
}
