using System.Reflection;
using System.Text.Json.Serialization;
using OrtGmt.Errors;

namespace OrtGmt.Config;

/// <summary>
/// How configs, manifests and checkpoints spell an enum's values: the
/// <see cref="JsonStringEnumMemberNameAttribute"/> on each member ("adamw", "zero-grad"), else the
/// member name in lower case. JSON reads and writes the same spellings through the enum's
/// <see cref="JsonStringEnumConverter{TEnum}"/>, so a value has one spelling everywhere.
/// </summary>
public static class EnumSpelling
{
    /// <summary>The spelling of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Table<T>.Names[value];

    /// <summary>Every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Table<T>.Ordered;

    /// <summary>The value spelled <paramref name="text"/> (case-insensitive), or false.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum =>
        Table<T>.Values.TryGetValue(text, out value);

    /// <summary>The value spelled <paramref name="text"/>; otherwise a <see cref="ConfigException"/> for <paramref name="field"/> listing the spellings.</summary>
    public static T Parse<T>(string text, string field) where T : struct, Enum =>
        TryParse(text, out T value) ? value
            : throw new ConfigException(field, $"'{text}' is not one of {string.Join(", ", Table<T>.Ordered)}");

    private static class Table<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = [];
        public static readonly Dictionary<string, T> Values = new(StringComparer.OrdinalIgnoreCase);
        public static readonly string[] Ordered;

        static Table()
        {
            var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
            Ordered = new string[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                var value = (T)fields[i].GetValue(null)!;
                string name = fields[i].GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? fields[i].Name.ToLowerInvariant();
                Names[value] = name;
                Values[name] = value;
                Ordered[i] = name;
            }
        }
    }
}
