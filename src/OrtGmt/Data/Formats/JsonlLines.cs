using System.Text;
using OrtGmt.Errors;

namespace OrtGmt.Data.Formats;

/// <summary>One non-blank line of a JSONL file: its 1-based number, byte offset and text.</summary>
public readonly record struct JsonlLine(long Number, long Offset, string Text);

/// <summary>
/// Reads a JSONL file lazily, one line at a time, keeping the byte offset of each line so that a
/// dataset can later seek straight to it (the shuffle index). Blank lines are skipped.
/// </summary>
public static class JsonlLines
{
    private const int BufferSize = 1 << 16;

    /// <summary>Every non-blank line of <paramref name="path"/>, in order.</summary>
    public static IEnumerable<JsonlLine> Read(string path)
    {
        if (!File.Exists(path)) throw new OrtGmtException($"data file '{path}' not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        var line = new MemoryStream();
        var buffer = new byte[BufferSize];
        long number = 1, lineStart = 0, position = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                line.Write(buffer, start, i - start);
                if (Emit(line, number, lineStart) is { } l) yield return l;
                line.SetLength(0);
                number++;
                start = i + 1;
                lineStart = position + i + 1;
            }
            line.Write(buffer, start, read - start);
            position += read;
        }
        if (Emit(line, number, lineStart) is { } last) yield return last;
    }

    /// <summary>The line at <paramref name="offset"/> of <paramref name="stream"/> (up to the next newline).</summary>
    public static string ReadAt(Stream stream, long offset)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        var line = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int nl = Array.IndexOf(buffer, (byte)'\n', 0, read);
            line.Write(buffer, 0, nl < 0 ? read : nl);
            if (nl >= 0) break;
        }
        return Decode(line);
    }

    private static JsonlLine? Emit(MemoryStream line, long number, long offset)
    {
        string text = Decode(line);
        if (text.Trim().Length == 0) return null;
        return new JsonlLine(number, offset, text);
    }

    private static string Decode(MemoryStream line)
    {
        var span = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (span.Length > 0 && span[^1] == (byte)'\r') span = span[..^1];
        if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF) span = span[3..];
        return Encoding.UTF8.GetString(span);
    }
}
