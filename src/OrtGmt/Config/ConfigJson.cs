using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OrtGmt.Errors;

namespace OrtGmt.Config;

/// <summary>
/// Reads a JSON object of config fields into a record, with errors a user can act on: the file and
/// 1-based line, the field, what was expected and what was found, and the nearest known name for
/// an unknown field. Comments and trailing commas are allowed.
/// </summary>
internal static class ConfigJson
{
    private const int ShownValueLength = 40;

    /// <summary>Serializer options for config records: indented output, no unknown members (enums carry their spellings).</summary>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// Parses <paramref name="json"/> into <typeparamref name="T"/>. Returns the record and the 1-based
    /// line of every field the document sets (so later range checks can point at the line too).
    /// </summary>
    public static (T Value, IReadOnlyDictionary<string, long> Lines) Read<T>(string json, string source, JsonSerializerOptions options) where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(source, "not valid JSON: " + WithoutPosition(e.Message), e.LineNumber + 1, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidFileException(source, $"expected a JSON object of config fields, found {Describe(root.ValueKind)}", 1);
            var lines = FieldLines(json);
            var info = options.GetTypeInfo(typeof(T));
            var known = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in root.EnumerateObject())
            {
                long? line = lines.TryGetValue(field.Name, out long l) ? l : null;
                if (!known.TryGetValue(field.Name, out var property))
                    throw ConfigException.Unknown(field.Name, Nearest(field.Name, known.Keys), source, line);
                if (!seen.Add(field.Name))
                    throw new ConfigException(field.Name, "is set twice; keep one", source, line);
                CheckValue(field.Name, field.Value, property.PropertyType, options, source, line);
            }
            var value = root.Deserialize<T>(options) ?? throw new InvalidFileException(source, "expected a JSON object of config fields, found null", 1);
            return (value, lines);
        }
    }

    private static void CheckValue(string field, JsonElement value, Type type, JsonSerializerOptions options, string source, long? line)
    {
        var inner = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null && (inner is not null || !type.IsValueType)) return;
        var target = inner ?? type;
        if (EnumSpelling.IsSpelled(target))
        {
            if (value.ValueKind == JsonValueKind.String && EnumSpelling.TryParse(target, value.GetString(), out _)) return;
            string problem = value.ValueKind == JsonValueKind.String
                ? EnumSpelling.NotOneOf(target, value.GetString())
                : $"expected one of {string.Join(", ", EnumSpelling.All(target))}, got {Shown(value)}";
            throw new ConfigException(field, problem, source, line);
        }
        try
        {
            value.Deserialize(type, options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ConfigException(field, $"expected {Expected(type)}, got {Shown(value)}", source, line);
        }
    }

    /// <summary>How the config documentation would describe a value of <paramref name="type"/>.</summary>
    public static string Expected(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Expected(inner) + " or null";
        if (EnumSpelling.IsSpelled(type)) return "one of " + string.Join(", ", EnumSpelling.All(type));
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a number",
            TypeCode.Int32 or TypeCode.Int64 or TypeCode.Int16 => "an integer",
            TypeCode.UInt64 or TypeCode.UInt32 or TypeCode.UInt16 => "a non-negative integer",
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a string",
            _ => "a " + type.Name,
        };
    }

    private static string Shown(JsonElement value)
    {
        string raw = value.GetRawText();
        return raw.Length <= ShownValueLength ? raw : raw[..ShownValueLength] + "…";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    // System.Text.Json appends "LineNumber: 2 | BytePositionInLine: 5." (0-based); the line is reported separately.
    private static string WithoutPosition(string message)
    {
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).TrimEnd('.', ' ');
    }

    /// <summary>The 1-based line of every top-level field name.</summary>
    private static Dictionary<string, long> FieldLines(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        long line = 1;
        int counted = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            int start = (int)reader.TokenStartIndex;
            line += bytes.AsSpan(counted, start - counted).Count((byte)'\n');
            counted = start;
            lines.TryAdd(reader.GetString()!, line);
        }
        return lines;
    }

    /// <summary>The known name closest to <paramref name="name"/>, when it is close enough to be a typo.</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        string Normal(string s) => s.ToLowerInvariant().Replace('-', '_').TrimStart('_');
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            int d = Distance(Normal(name), Normal(candidate));
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps ("raito" → "ratio") cost 1.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
