using System.Text.Json;
using OrtGmt.Errors;

namespace OrtGmt.Tokenizers;

/// <summary>
/// The special tokens and chat template that Hugging Face keeps beside a tokenizer, read from
/// tokenizer_config.json and special_tokens_map.json (the former wins where both say something).
/// A token may be written as a string or as an object with a <c>content</c> field.
/// </summary>
internal sealed record SpecialTokenConfig(string? Bos, string? Eos, string? Pad, string? Unk, string? ChatTemplate)
{
    public static SpecialTokenConfig Empty { get; } = new(null, null, null, null, null);

    /// <summary>Reads the two files from <paramref name="folder"/>; missing files give nulls.</summary>
    public static SpecialTokenConfig Read(string folder)
    {
        var result = Empty;
        foreach (string name in new[] { "special_tokens_map.json", "tokenizer_config.json" })
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path)) result = ReadFile(path, result);
        }
        return result;
    }

    /// <summary>Reads one config file; fields it lacks keep their value from <paramref name="result"/>.</summary>
    public static SpecialTokenConfig ReadFile(string path, SpecialTokenConfig result)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(path, $"not valid JSON: {e.Message}", e.LineNumber + 1, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidFileException(path, "expected a JSON object");
            return new SpecialTokenConfig(
                Token(root, "bos_token", path) ?? result.Bos,
                Token(root, "eos_token", path) ?? result.Eos,
                Token(root, "pad_token", path) ?? result.Pad,
                Token(root, "unk_token", path) ?? result.Unk,
                Template(root, path) ?? result.ChatTemplate);
        }
    }

    private static string? Token(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Object when value.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => throw new InvalidFileException(path, $"field '{field}' must be a string or an object with 'content'"),
        };
    }

    private static string? Template(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chat_template", out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                // Several named templates: the one named "default" is the chat template.
                foreach (var item in value.EnumerateArray())
                {
                    if (item.TryGetProperty("name", out var n) && n.GetString() == "default" && item.TryGetProperty("template", out var t))
                        return t.GetString();
                }
                throw new InvalidFileException(path, "field 'chat_template' is a list without a template named 'default'");
            default:
                throw new InvalidFileException(path, "field 'chat_template' must be a string");
        }
    }
}
