using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using OrtGmt.Errors;

namespace OrtGmt.Config;

/// <summary>
/// The one spelling of every option value ("adamw", "zero-grad", "truncate-left"), shared by config
/// files, command-line flags, manifests, checkpoints, run_config.json and reports. An enum is spelled
/// when it declares <c>[JsonConverter(typeof(SpellingJsonConverter))]</c>; each member's spelling is
/// its <see cref="JsonStringEnumMemberNameAttribute"/>, so the enum's declaration is the only table.
/// Input is matched without regard to case or surrounding spaces; output is always the declared spelling.
/// </summary>
internal static class EnumSpelling
{
    private static readonly ConcurrentDictionary<Type, Table> Tables = new();

    /// <summary>True when <paramref name="type"/> is an enum with spellings.</summary>
    public static bool IsSpelled(Type type) =>
        type.IsEnum && type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(SpellingJsonConverter);

    /// <summary>The spelling of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => TableOf(typeof(T)).Names[value];

    /// <summary>Every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => All(typeof(T));

    /// <summary>Every spelling of the enum <paramref name="type"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All(Type type) => TableOf(type).Ordered;

    /// <summary>The value spelled <paramref name="text"/>, or false.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        bool found = TryParse(typeof(T), text, out var boxed);
        value = found ? (T)boxed : default;
        return found;
    }

    /// <summary>The value of the enum <paramref name="type"/> spelled <paramref name="text"/>, or false.</summary>
    public static bool TryParse(Type type, string? text, out Enum value) =>
        TableOf(type).Values.TryGetValue(text?.Trim() ?? "", out value!);

    /// <summary>The value spelled <paramref name="text"/>; otherwise a <see cref="ConfigException"/> for <paramref name="field"/> (a config field or a flag) listing the spellings.</summary>
    public static T Parse<T>(string text, string field) where T : struct, Enum =>
        TryParse(text, out T value) ? value : throw new ConfigException(field, NotOneOf(typeof(T), text));

    /// <summary>"'x' is not one of a, b, c": the problem of a value outside <paramref name="type"/>'s spellings.</summary>
    public static string NotOneOf(Type type, string? text) => $"'{text}' is not one of {string.Join(", ", All(type))}";

    private static Table TableOf(Type type) => Tables.GetOrAdd(type, static t =>
        IsSpelled(t) ? new Table(t) : throw new ArgumentException($"{t.Name} has no spellings (no [JsonConverter(typeof({nameof(SpellingJsonConverter)}))])", nameof(type)));

    private sealed class Table
    {
        public readonly Dictionary<Enum, string> Names = [];
        public readonly Dictionary<string, Enum> Values = new(StringComparer.OrdinalIgnoreCase);
        public readonly string[] Ordered;

        public Table(Type type)
        {
            var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
            Ordered = new string[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                var value = (Enum)fields[i].GetValue(null)!;
                string name = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{type.Name}.{fields[i].Name} has no [JsonStringEnumMemberName]");
                Names[value] = name;
                Values[name] = value;
                Ordered[i] = name;
            }
        }
    }
}
