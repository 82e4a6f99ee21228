using OrtGmt.Data.Formats;
using OrtGmt.Data.Synthetic;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;

namespace OrtGmt.Config;

/// <summary>
/// The one spelling of every option value ("adamw", "zero-grad", "truncate-left"), shared by config
/// files, command-line flags, reports and run_config.json. Input is matched without regard to case;
/// output is always the spelling listed here.
/// </summary>
public static class Spellings
{
    private static readonly Dictionary<Type, (Enum Value, string Name)[]> Table = new()
    {
        [typeof(TrainingMethod)] = [(TrainingMethod.Sft, "sft"), (TrainingMethod.Gmt, "gmt"), (TrainingMethod.Rmt, "rmt"), (TrainingMethod.Hft, "hft")],
        [typeof(OptimizerKind)] = [(OptimizerKind.AdamW, "adamw"), (OptimizerKind.Sgd, "sgd")],
        [typeof(MaskScope)] = [(MaskScope.Tensor, "tensor"), (MaskScope.Global, "global")],
        [typeof(MaskedEntryMode)] = [(MaskedEntryMode.Freeze, "freeze"), (MaskedEntryMode.ZeroGrad, "zero-grad")],
        [typeof(ScheduleKind)] = [(ScheduleKind.Cosine, "cosine"), (ScheduleKind.Linear, "linear"), (ScheduleKind.Constant, "constant")],
        [typeof(TruncationPolicy)] =
        [
            (TruncationPolicy.Error, "error"), (TruncationPolicy.TruncateLeft, "truncate-left"),
            (TruncationPolicy.TruncateRight, "truncate-right"), (TruncationPolicy.Drop, "drop"),
        ],
        [typeof(SampleFormat)] =
        [
            (SampleFormat.Auto, "auto"), (SampleFormat.Alpaca, "alpaca"), (SampleFormat.Query, "query"), (SampleFormat.Chat, "chat"),
            (SampleFormat.Prompt, "prompt"), (SampleFormat.Dpo, "dpo"), (SampleFormat.Text, "text"),
        ],
        [typeof(ExecutionDevice)] = [(ExecutionDevice.Cpu, "cpu"), (ExecutionDevice.Cuda, "cuda")],
        [typeof(DropStrategy)] = [(DropStrategy.Trivial, "trivial"), (DropStrategy.Random, "random"), (DropStrategy.Salient, "salient")],
        [typeof(SyntheticSplit)] = [(SyntheticSplit.Train, "train"), (SyntheticSplit.Test, "test")],
    };

    /// <summary>The enum types that have spellings.</summary>
    public static IEnumerable<Type> Types => Table.Keys;

    /// <summary>True when <paramref name="type"/> has spellings.</summary>
    public static bool Has(Type type) => Table.ContainsKey(type);

    /// <summary>The spelling of <paramref name="value"/>.</summary>
    public static string Name<T>(T value) where T : struct, Enum => Name(typeof(T), value);

    /// <summary>The spelling of <paramref name="value"/>, an enum of <paramref name="type"/>.</summary>
    public static string Name(Type type, Enum value)
    {
        foreach (var (v, name) in Entries(type))
            if (v.Equals(value)) return name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{type.Name} has no spelling for this value");
    }

    /// <summary>Every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Names(typeof(T));

    /// <summary>Every spelling of the enum <paramref name="type"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type type) => [.. Entries(type).Select(e => e.Name)];

    /// <summary>The value spelled <paramref name="text"/>; a <see cref="ConfigException"/> naming <paramref name="field"/> (a config field or a flag) otherwise.</summary>
    public static T Parse<T>(string text, string field) where T : struct, Enum => (T)Parse(typeof(T), text, field);

    /// <summary>The value of enum <paramref name="type"/> spelled <paramref name="text"/>.</summary>
    public static Enum Parse(Type type, string text, string field) =>
        TryParse(type, text, out var value) ? value : throw new ConfigException(field, NotOneOf(type, text));

    /// <summary>The value of enum <paramref name="type"/> spelled <paramref name="text"/>, if any.</summary>
    public static bool TryParse(Type type, string? text, out Enum value)
    {
        foreach (var (v, name) in Entries(type))
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>"'x' is not one of a, b, c": the problem of a value outside <paramref name="type"/>'s spellings.</summary>
    public static string NotOneOf(Type type, string? text) => $"'{text}' is not one of {string.Join(", ", Names(type))}";

    private static (Enum Value, string Name)[] Entries(Type type) =>
        Table.TryGetValue(type, out var entries) ? entries : throw new ArgumentException($"{type.Name} has no spellings", nameof(type));
}
