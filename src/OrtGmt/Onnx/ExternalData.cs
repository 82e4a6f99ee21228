using OrtGmt.Errors;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Onnx;

/// <summary>
/// ONNX external data: a tensor's bytes kept in a side file named by <c>location</c>, read from
/// <c>offset</c> for <c>length</c> bytes. Locations are confined to the model's folder so that a
/// model file cannot make us read (or ONNX Runtime load) arbitrary files.
/// </summary>
public static class ExternalData
{
    /// <summary>Key of the file name entry in <see cref="TensorProto.ExternalData"/>.</summary>
    public const string LocationKey = "location";

    /// <summary>Key of the byte offset entry.</summary>
    public const string OffsetKey = "offset";

    /// <summary>Key of the byte length entry.</summary>
    public const string LengthKey = "length";

    /// <summary>Where a tensor's external bytes are: a validated full path, offset and length.</summary>
    public readonly record struct Location(string FullPath, long Offset, long? Length);

    /// <summary>
    /// Resolves and validates the external location of <paramref name="t"/>: relative, no <c>..</c>,
    /// no link leading out of <paramref name="modelDirectory"/>, offset and length inside the file.
    /// </summary>
    public static Location Resolve(TensorProto t, string modelDirectory)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var kv in t.ExternalData)
        {
            switch (kv.Key)
            {
                case LocationKey: location = kv.Value; break;
                case OffsetKey: offset = ParseNonNegative(t, kv.Key, kv.Value); break;
                case LengthKey: length = ParseNonNegative(t, kv.Key, kv.Value); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new GraphException($"tensor '{t.Name}': external data has no '{LocationKey}'");
        string full = CheckedPath(t.Name, location, modelDirectory);
        var info = new FileInfo(full);
        if (!info.Exists)
            throw new GraphException($"tensor '{t.Name}': external data file '{location}' not found in {modelDirectory}");
        long end = length is null ? info.Length : offset + length.Value;
        if (offset > info.Length || end > info.Length)
            throw new GraphException(
                $"tensor '{t.Name}': external data range [{offset}, {end}) lies outside '{location}' ({info.Length} bytes)");
        return new Location(full, offset, length);
    }

    /// <summary>Reads the external bytes of <paramref name="t"/>, which must be exactly <paramref name="expectedBytes"/> long.</summary>
    public static byte[] Read(TensorProto t, string modelDirectory, long expectedBytes)
    {
        var loc = Resolve(t, modelDirectory);
        long length = loc.Length ?? expectedBytes;
        if (length != expectedBytes)
            throw new GraphException(
                $"tensor '{t.Name}': external data length {length} does not match {expectedBytes} bytes for dims {Tensors.FormatDims(t.Dims)}");
        if (length > Array.MaxLength)
            throw new GraphException($"tensor '{t.Name}': {length} bytes is larger than one host array can hold");
        using var fs = new FileStream(loc.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (loc.Offset + length > fs.Length)
            throw new GraphException($"tensor '{t.Name}': external data range ends past the end of '{loc.FullPath}'");
        fs.Seek(loc.Offset, SeekOrigin.Begin);
        var buffer = new byte[length];
        fs.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Points <paramref name="t"/> at <paramref name="location"/> and drops any inline data.</summary>
    public static void SetLocation(TensorProto t, string location, long offset, long length)
    {
        t.RawData = Google.Protobuf.ByteString.Empty;
        t.FloatData.Clear();
        t.DoubleData.Clear();
        t.Int32Data.Clear();
        t.Int64Data.Clear();
        t.Uint64Data.Clear();
        t.ExternalData.Clear();
        t.ExternalData.Add(new StringStringEntryProto { Key = LocationKey, Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = OffsetKey, Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        t.ExternalData.Add(new StringStringEntryProto { Key = LengthKey, Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        t.DataLocation = TensorProto.Types.DataLocation.External;
    }

    /// <summary>
    /// The full path of <paramref name="location"/> inside <paramref name="modelDirectory"/>, or an
    /// error when it is absolute, climbs with <c>..</c>, or resolves (through links) outside the folder.
    /// </summary>
    public static string CheckedPath(string tensorName, string location, string modelDirectory)
    {
        if (Path.IsPathRooted(location) || location.Contains(':'))
            throw new GraphException($"tensor '{tensorName}': external data location '{location}' is absolute; it must be relative to the model's folder");
        var parts = location.Split('/', '\\');
        if (parts.Any(p => p == ".."))
            throw new GraphException($"tensor '{tensorName}': external data location '{location}' climbs out of the model's folder with '..'");
        string root = Path.GetFullPath(modelDirectory);
        string full = Path.GetFullPath(Path.Combine(root, location));
        string resolved = ResolveLinks(full);
        string resolvedRoot = ResolveLinks(root);
        string prefix = resolvedRoot.EndsWith(Path.DirectorySeparatorChar) ? resolvedRoot : resolvedRoot + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(prefix, StringComparison.Ordinal))
            throw new GraphException($"tensor '{tensorName}': external data location '{location}' leads outside the model's folder (to {resolved})");
        return full;
    }

    private static string ResolveLinks(string path)
    {
        // Resolve every existing component, so a link in the middle of the path is followed too.
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        string current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null) current = Path.GetFullPath(target.FullName);
            }
        }
        return current;
    }

    private static long ParseNonNegative(TensorProto t, string key, string value)
    {
        if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v))
            throw new GraphException($"tensor '{t.Name}': external data '{key}' = '{value}' is not a non-negative integer");
        return v;
    }
}
