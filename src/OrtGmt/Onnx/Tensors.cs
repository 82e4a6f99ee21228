using System.Runtime.InteropServices;
using Google.Protobuf;
using OrtGmt.Errors;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Onnx;

/// <summary>Creates ONNX tensors from host data and reads their values back, wherever they are stored.</summary>
public static class Tensors
{
    /// <summary>A float32 tensor stored as little-endian raw bytes.</summary>
    public static TensorProto FromFloats(string name, long[] dims, ReadOnlySpan<float> values) =>
        FromSpan(name, dims, TensorProto.Types.DataType.Float, values);

    /// <summary>A float64 tensor stored as little-endian raw bytes.</summary>
    public static TensorProto FromDoubles(string name, long[] dims, ReadOnlySpan<double> values) =>
        FromSpan(name, dims, TensorProto.Types.DataType.Double, values);

    /// <summary>An int64 tensor stored as little-endian raw bytes.</summary>
    public static TensorProto FromInt64s(string name, long[] dims, ReadOnlySpan<long> values) =>
        FromSpan(name, dims, TensorProto.Types.DataType.Int64, values);

    /// <summary>A tensor of any fixed-size type from raw little-endian bytes.</summary>
    public static TensorProto FromBytes(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes)
    {
        long expected = DataTypes.ElementCount(dims) * DataTypes.SizeOf(type);
        if (bytes.Length != expected)
            throw new ArgumentException($"tensor '{name}': {bytes.Length} bytes given, {expected} expected for {type}{FormatDims(dims)}");
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }

    private static TensorProto FromSpan<T>(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        return FromBytes(name, dims, type, MemoryMarshal.AsBytes(values));
    }

    /// <summary>The element type of <paramref name="t"/>.</summary>
    public static TensorProto.Types.DataType TypeOf(TensorProto t) => (TensorProto.Types.DataType)t.DataType;

    /// <summary>Number of elements of <paramref name="t"/>.</summary>
    public static long ElementCount(TensorProto t) => DataTypes.ElementCount(t.Dims);

    /// <summary>True when the tensor's bytes live in an external file.</summary>
    public static bool IsExternal(TensorProto t) => t.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>
    /// The tensor's values as little-endian bytes, from raw_data, the typed fields, or external data
    /// (resolved against <paramref name="modelDirectory"/>, which is required for external tensors).
    /// </summary>
    public static byte[] ReadBytes(TensorProto t, string? modelDirectory = null)
    {
        var type = TypeOf(t);
        int size = DataTypes.SizeOf(type);
        if (size == 0) throw new GraphException($"tensor '{t.Name}': element type {type} has no fixed size");
        long count;
        try { count = DataTypes.ElementCount(t.Dims); }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new GraphException($"tensor '{t.Name}': invalid dims {FormatDims(t.Dims)}");
        }
        long expected = count * size;
        if (IsExternal(t))
        {
            if (modelDirectory is null)
                throw new GraphException($"tensor '{t.Name}' is stored externally but no model folder was given to resolve it");
            return ExternalData.Read(t, modelDirectory, expected);
        }
        if (!t.RawData.IsEmpty || expected == 0)
        {
            if (t.RawData.Length != expected)
                throw new GraphException($"tensor '{t.Name}': raw_data has {t.RawData.Length} bytes, {expected} expected for {type}{FormatDims(t.Dims)}");
            return t.RawData.ToByteArray();
        }
        return TypedFieldBytes(t, type, count);
    }

    private static byte[] TypedFieldBytes(TensorProto t, TensorProto.Types.DataType type, long count)
    {
        byte[] result = new byte[count * DataTypes.SizeOf(type)];
        void Check(int have)
        {
            if (have != count)
                throw new GraphException($"tensor '{t.Name}': {have} values stored, {count} expected for dims {FormatDims(t.Dims)}");
        }
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                Check(t.FloatData.Count);
                MemoryMarshal.AsBytes(t.FloatData.ToArray().AsSpan()).CopyTo(result);
                break;
            case TensorProto.Types.DataType.Double:
                Check(t.DoubleData.Count);
                MemoryMarshal.AsBytes(t.DoubleData.ToArray().AsSpan()).CopyTo(result);
                break;
            case TensorProto.Types.DataType.Int64:
                Check(t.Int64Data.Count);
                MemoryMarshal.AsBytes(t.Int64Data.ToArray().AsSpan()).CopyTo(result);
                break;
            case TensorProto.Types.DataType.Uint64 or TensorProto.Types.DataType.Uint32:
                Check(t.Uint64Data.Count);
                for (int i = 0; i < count; i++)
                {
                    if (type == TensorProto.Types.DataType.Uint64) BitConverter.TryWriteBytes(result.AsSpan(i * 8), t.Uint64Data[i]);
                    else BitConverter.TryWriteBytes(result.AsSpan(i * 4), (uint)t.Uint64Data[i]);
                }
                break;
            case TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Int8
                or TensorProto.Types.DataType.Uint16 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool
                or TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16:
                Check(t.Int32Data.Count);
                int size = DataTypes.SizeOf(type);
                for (int i = 0; i < count; i++)
                {
                    int v = t.Int32Data[i];
                    switch (size)
                    {
                        case 4: BitConverter.TryWriteBytes(result.AsSpan(i * 4), v); break;
                        case 2: BitConverter.TryWriteBytes(result.AsSpan(i * 2), (ushort)v); break;
                        default: result[i] = (byte)v; break;
                    }
                }
                break;
            default:
                throw new GraphException($"tensor '{t.Name}': cannot read values of type {type}");
        }
        return result;
    }

    /// <summary>The values of a float32 tensor.</summary>
    public static float[] ReadFloats(TensorProto t, string? modelDirectory = null) =>
        Read<float>(t, TensorProto.Types.DataType.Float, modelDirectory);

    /// <summary>The values of a float64 tensor.</summary>
    public static double[] ReadDoubles(TensorProto t, string? modelDirectory = null) =>
        Read<double>(t, TensorProto.Types.DataType.Double, modelDirectory);

    /// <summary>The values of an int64 tensor.</summary>
    public static long[] ReadInt64s(TensorProto t, string? modelDirectory = null) =>
        Read<long>(t, TensorProto.Types.DataType.Int64, modelDirectory);

    private static T[] Read<T>(TensorProto t, TensorProto.Types.DataType want, string? modelDirectory) where T : unmanaged
    {
        if (TypeOf(t) != want) throw new GraphException($"tensor '{t.Name}' is {TypeOf(t)}, not {want}");
        return MemoryMarshal.Cast<byte, T>(ReadBytes(t, modelDirectory)).ToArray();
    }

    /// <summary>Formats dims the way error messages show shapes: [2, 3].</summary>
    public static string FormatDims(IEnumerable<long> dims) => "[" + string.Join(", ", dims) + "]";
}
