using System.Text.Json;
using OrtGmt.Errors;

namespace OrtGmt.Data.Formats;

/// <summary>
/// Turns one JSON object into a <see cref="Sample"/>, and detects the format from the fields
/// present. Every problem is an <see cref="InvalidFileException"/> naming the file and line.
/// </summary>
public static class SampleParser
{
    private static readonly HashSet<string> Roles = [ChatMessage.System, ChatMessage.User, ChatMessage.Assistant];

    /// <summary>The format whose fields <paramref name="obj"/> has, or null when none fits.</summary>
    public static SampleFormat? Detect(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        bool Has(string f) => obj.TryGetProperty(f, out _);
        if (Has("messages")) return SampleFormat.Chat;
        if (Has("chosen") && Has("rejected")) return SampleFormat.Dpo;
        if (Has("instruction") && Has("output")) return SampleFormat.Alpaca;
        if (Has("query") && Has("response")) return SampleFormat.Query;
        if (Has("prompt") && Has("completion")) return SampleFormat.Prompt;
        if (Has("text")) return SampleFormat.Text;
        return null;
    }

    /// <summary>Parses one line of <paramref name="file"/> (1-based <paramref name="line"/>) as <paramref name="format"/>.</summary>
    public static Sample Parse(string json, SampleFormat format, string file, long line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(file, $"malformed JSON: {e.Message}", line, e);
        }
        using (doc)
        {
            return Parse(doc.RootElement, format, file, line);
        }
    }

    /// <summary>Parses <paramref name="obj"/> as <paramref name="format"/> (Auto detects it).</summary>
    public static Sample Parse(JsonElement obj, SampleFormat format, string file, long line)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new InvalidFileException(file, $"expected a JSON object, found {Kind(obj)}", line);
        if (format == SampleFormat.Auto)
        {
            format = Detect(obj) ?? throw new InvalidFileException(file,
                $"unknown sample shape (fields: {string.Join(", ", obj.EnumerateObject().Select(p => p.Name))}); expected instruction/output, query/response, messages, prompt/completion, prompt/chosen/rejected or text",
                line);
        }
        var sample = format switch
        {
            SampleFormat.Alpaca => Alpaca(obj, file, line),
            SampleFormat.Query => Sample.Exchange(format, Str(obj, "query", file, line), Response(obj, "response", file, line)),
            SampleFormat.Prompt => Sample.Exchange(format, Str(obj, "prompt", file, line), Response(obj, "completion", file, line)),
            SampleFormat.Chat => Chat(obj, file, line),
            SampleFormat.Dpo => new Sample(format, [new ChatMessage(ChatMessage.User, Str(obj, "prompt", file, line))])
            {
                Chosen = Response(obj, "chosen", file, line),
                Rejected = Response(obj, "rejected", file, line),
            },
            SampleFormat.Text => new Sample(format, []) { Text = Response(obj, "text", file, line) },
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        return sample with { Source = file, Line = line };
    }

    private static Sample Alpaca(JsonElement obj, string file, long line)
    {
        string instruction = Str(obj, "instruction", file, line);
        string input = obj.TryGetProperty("input", out var i) && i.ValueKind != JsonValueKind.Null ? Str(obj, "input", file, line) : "";
        string user = input.Length == 0 ? instruction : instruction + "\n\n" + input;
        return Sample.Exchange(SampleFormat.Alpaca, user, Response(obj, "output", file, line));
    }

    private static Sample Chat(JsonElement obj, string file, long line)
    {
        var messages = obj.GetProperty("messages");
        if (messages.ValueKind != JsonValueKind.Array) throw new InvalidFileException(file, $"field 'messages' must be an array, found {Kind(messages)}", line);
        var list = new List<ChatMessage>();
        int index = 0;
        foreach (var m in messages.EnumerateArray())
        {
            string where = $"messages[{index}]";
            if (m.ValueKind != JsonValueKind.Object) throw new InvalidFileException(file, $"{where} must be an object, found {Kind(m)}", line);
            string role = Str(m, "role", file, line, where);
            if (!Roles.Contains(role)) throw new InvalidFileException(file, $"{where}: unknown role '{role}' (expected system, user or assistant)", line);
            string content = Str(m, "content", file, line, where);
            if (role == ChatMessage.Assistant && content.Trim().Length == 0) throw new InvalidFileException(file, $"{where}: empty assistant content", line);
            list.Add(new ChatMessage(role, content));
            index++;
        }
        if (!list.Any(m => m.Role == ChatMessage.Assistant)) throw new InvalidFileException(file, "conversation has no assistant message to train on", line);
        return new Sample(SampleFormat.Chat, list);
    }

    private static string Response(JsonElement obj, string field, string file, long line)
    {
        string value = Str(obj, field, file, line);
        if (value.Trim().Length == 0) throw new InvalidFileException(file, $"field '{field}' is empty", line);
        return value;
    }

    private static string Str(JsonElement obj, string field, string file, long line, string? where = null)
    {
        string prefix = where is null ? "" : where + ": ";
        if (!obj.TryGetProperty(field, out var value)) throw new InvalidFileException(file, $"{prefix}missing field '{field}'", line);
        if (value.ValueKind != JsonValueKind.String) throw new InvalidFileException(file, $"{prefix}field '{field}' must be a string, found {Kind(value)}", line);
        return value.GetString()!;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
