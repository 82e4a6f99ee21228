using System.Buffers.Binary;
using System.Text.Json;
using OrtGmt.Errors;
using OrtGmt.IO;

namespace OrtGmt.SafeTensors;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and data offsets, then the tensor bytes. The header is validated
/// in full (bounded size, offsets inside the file, no overlaps or holes, dtype × shape = length)
/// before any tensor memory is allocated.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Largest header accepted; real headers are far smaller, so a larger one means a corrupted file.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string MetadataKey = "__metadata__";

    /// <summary>One validated header entry.</summary>
    public sealed record Entry(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End);

    /// <summary>Reads every tensor of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<SafeTensor> Read(string path) => ReadWithMetadata(path).Tensors;

    /// <summary>Reads every tensor and the string metadata of <paramref name="path"/>.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadWithMetadata(string path)
    {
        var (entries, metadata, dataStart) = ReadHeader(path);
        using var fs = OpenRead(path);
        var tensors = new List<SafeTensor>(entries.Count);
        foreach (var e in entries)
        {
            var bytes = new byte[e.End - e.Begin];
            fs.Seek(dataStart + e.Begin, SeekOrigin.Begin);
            fs.ReadExactly(bytes);
            tensors.Add(new SafeTensor(e.Name, e.DType, e.Shape, bytes));
        }
        return (tensors, metadata);
    }

    /// <summary>Reads the tensors of <paramref name="path"/> into a dictionary by name.</summary>
    public static IReadOnlyDictionary<string, SafeTensor> ReadDictionary(string path) =>
        Read(path).ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Reads and validates only the header: entries sorted by offset, metadata, and where the data starts.</summary>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path)
    {
        using var fs = OpenRead(path);
        long fileLength = fs.Length;
        if (fileLength < 8) throw Bad(path, $"file is {fileLength} bytes, too short for a safetensors header");
        Span<byte> lengthBytes = stackalloc byte[8];
        fs.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw Bad(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit (corrupted file?)");
        if ((long)headerLength > fileLength - 8)
            throw Bad(path, $"header length {headerLength} runs past the end of the {fileLength}-byte file (truncated?)");
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = ParseHeader(path, header, fileLength - dataStart);
        return (entries, metadata, dataStart);
    }

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Bad(path, $"header is not valid JSON: {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw Bad(path, $"tensor '{prop.Name}' appears twice in the header");
                if (prop.Name == MetadataKey)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"__metadata__ value '{m.Name}' is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(path, prop.Name, prop.Value, dataLength));
            }
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expectedBegin = 0;
            foreach (var e in entries)
            {
                if (e.Begin < expectedBegin) throw Bad(path, $"tensor '{e.Name}' overlaps the tensor before it (offset {e.Begin})");
                if (e.Begin > expectedBegin) throw Bad(path, $"tensor '{e.Name}' leaves a hole in the data before offset {e.Begin}");
                expectedBegin = e.End;
            }
            if (expectedBegin != dataLength)
                throw Bad(path, $"tensors cover {expectedBegin} bytes but the data section is {dataLength} bytes (truncated or padded file)");
            return (entries, metadata);
        }
    }

    private static Entry ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"{where}: header entry is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Bad(path, $"{where}: missing 'dtype'");
        if (!Enum.TryParse<SafeTensorDType>(dtypeEl.GetString(), ignoreCase: false, out var dtype) || !Enum.IsDefined(dtype))
            throw Bad(path, $"{where}: unsupported dtype '{dtypeEl.GetString()}'");
        if (!value.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"{where}: missing 'shape'");
        var shape = new long[shapeEl.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw Bad(path, $"{where}: shape entry {d} is not a non-negative integer");
            shape[i++] = dim;
        }
        if (!value.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw Bad(path, $"{where}: 'data_offsets' must be [begin, end]");
        if (!offEl[0].TryGetInt64(out long begin) || !offEl[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Bad(path, $"{where}: invalid data_offsets {offEl}");
        if (end > dataLength) throw Bad(path, $"{where}: data_offsets [{begin}, {end}] run past the end of the data ({dataLength} bytes)");
        long expected;
        try { expected = checked(SafeTensor.ElementCountOf(shape) * SafeTensor.SizeOf(dtype)); }
        catch (OverflowException) { throw Bad(path, $"{where}: shape [{string.Join(", ", shape)}] is too large"); }
        if (end - begin != expected)
            throw Bad(path, $"{where}: {end - begin} bytes for {dtype}[{string.Join(", ", shape)}], expected {expected}");
        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>Writes <paramref name="tensors"/> (names unique) to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
        {
            if (!names.Add(t.Name)) throw new ArgumentException($"tensor name '{t.Name}' is used twice");
            if (t.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved");
        }
        byte[] header = BuildHeader(list, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            stream.Write(len);
            stream.Write(header);
            foreach (var t in list) stream.Write(t.Bytes.Span);
        });
    }

    private static byte[] BuildHeader(List<SafeTensor> list, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in list)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.ToString());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Bytes.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Bytes.Length;
            }
            w.WriteEndObject();
        }
        // Pad with spaces to a multiple of 8 so the data section is aligned, as the reference writer does.
        int pad = (int)((8 - ms.Length % 8) % 8);
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }

    private static FileStream OpenRead(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { throw new InvalidFileException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InvalidFileException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new InvalidFileException(path, $"cannot read: {e.Message}"); }
    }

    private static InvalidFileException Bad(string path, string problem) => new(path, "safetensors: " + problem);
}
