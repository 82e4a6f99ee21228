using System.Text;
using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Randomness;

namespace OrtGmt.Data.Synthetic;

/// <summary>Which side of the train/test split a sample belongs to.</summary>
[JsonConverter(typeof(SpellingJsonConverter))]
public enum SyntheticSplit
{
    /// <summary>Training samples (about 90 % of the sample space).</summary>
    [JsonStringEnumMemberName("train")] Train,

    /// <summary>Held-out samples (about 10 %): never produced for the train split.</summary>
    [JsonStringEnumMemberName("test")] Test,
}

/// <summary>The task registry and the split-aware generator behind <c>ortgmt data synth</c>.</summary>
public static class SyntheticTasks
{
    /// <summary>One sample in <see cref="TestShare"/> goes to the test split, decided by a hash of its prompt.</summary>
    public const int TestShare = 10;

    private const int MaxAttemptsPerSample = 200;

    /// <summary>The task names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["math", "code", "general", "pretrain"];

    /// <summary>The task called <paramref name="name"/>.</summary>
    public static ISyntheticTask Get(string name) => name.ToLowerInvariant() switch
    {
        "math" => new MathTask(),
        "code" => new CodeTask(),
        "general" => new GeneralTask(),
        "pretrain" => new PretrainTask(),
        _ => throw new OrtGmtException($"unknown synthetic task '{name}' (expected {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// The split of <paramref name="sample"/>: a pure function of its prompt (FNV-1a hash), so the
    /// same prompt is always on the same side and no sample can be in both splits.
    /// </summary>
    public static SyntheticSplit SplitOf(SyntheticSample sample)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(sample.Prompt)) h = (h ^ b) * 1099511628211UL;
        return h % TestShare == 0 ? SyntheticSplit.Test : SyntheticSplit.Train;
    }

    /// <summary>
    /// <paramref name="count"/> distinct samples of <paramref name="task"/> in <paramref name="split"/>,
    /// deterministic by <paramref name="seed"/>. Samples of the other split are drawn and passed over.
    /// </summary>
    public static IEnumerable<SyntheticSample> Generate(ISyntheticTask task, int count, ulong seed, SyntheticSplit split)
    {
        if (count < 0) throw new ConfigException("n", $"must not be negative, got {count}");
        var rng = Rng.ForStream(seed, "synth/" + task.Name);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long attempts = 0, limit = (long)Math.Max(count, 1) * MaxAttemptsPerSample;
        while (seen.Count < count)
        {
            if (++attempts > limit) throw new OrtGmtException($"task '{task.Name}' could not produce {count} distinct {EnumSpelling.Of(split)} samples (got {seen.Count}): ask for fewer");
            var s = task.Generate(rng);
            if (SplitOf(s) != split || !seen.Add(s.Prompt)) continue;
            yield return s;
        }
    }
}
