using System.Runtime.InteropServices;

namespace OrtGmt.SafeTensors;

/// <summary>Element types of the safetensors format, with their on-disk names.</summary>
public enum SafeTensorDType
{
    /// <summary>float32 ("F32").</summary>
    F32,

    /// <summary>float16 ("F16").</summary>
    F16,

    /// <summary>bfloat16 ("BF16").</summary>
    BF16,

    /// <summary>float64 ("F64").</summary>
    F64,

    /// <summary>int64 ("I64").</summary>
    I64,

    /// <summary>int32 ("I32").</summary>
    I32,

    /// <summary>int16 ("I16").</summary>
    I16,

    /// <summary>int8 ("I8").</summary>
    I8,

    /// <summary>uint8 ("U8").</summary>
    U8,

    /// <summary>bool ("BOOL", one byte each).</summary>
    BOOL,
}

/// <summary>One named tensor of a safetensors file: element type, shape and little-endian bytes.</summary>
public sealed class SafeTensor
{
    /// <summary>Key in the file.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public SafeTensorDType DType { get; }

    /// <summary>Shape (empty for a scalar).</summary>
    public long[] Shape { get; }

    /// <summary>The raw little-endian bytes, exactly numel × element size long.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Creates a tensor, checking that the byte length matches the shape.</summary>
    public SafeTensor(string name, SafeTensorDType dtype, long[] shape, ReadOnlyMemory<byte> bytes)
    {
        long expected = checked(ElementCountOf(shape) * SizeOf(dtype));
        if (bytes.Length != expected)
            throw new ArgumentException($"tensor '{name}': {bytes.Length} bytes for {dtype}[{string.Join(", ", shape)}], expected {expected}");
        Name = name;
        DType = dtype;
        Shape = shape;
        Bytes = bytes;
    }

    /// <summary>Number of elements.</summary>
    public long ElementCount => ElementCountOf(Shape);

    /// <summary>A float32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static SafeTensor FromFloats(string name, long[] shape, ReadOnlySpan<float> values) =>
        new(name, SafeTensorDType.F32, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor holding a copy of <paramref name="values"/>.</summary>
    public static SafeTensor FromInt64s(string name, long[] shape, ReadOnlySpan<long> values) =>
        new(name, SafeTensorDType.I64, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values as float32, converting from F16, BF16 or F64 where needed.</summary>
    public float[] ToFloats()
    {
        var span = Bytes.Span;
        return DType switch
        {
            SafeTensorDType.F32 => MemoryMarshal.Cast<byte, float>(span).ToArray(),
            SafeTensorDType.F64 => Array.ConvertAll(MemoryMarshal.Cast<byte, double>(span).ToArray(), d => (float)d),
            SafeTensorDType.F16 => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(span).ToArray(), h => (float)h),
            SafeTensorDType.BF16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(span).ToArray(), b => BitConverter.Int32BitsToSingle(b << 16)),
            _ => throw new InvalidOperationException($"tensor '{Name}' is {DType}, not a float type"),
        };
    }

    /// <summary>Copies the values as float32 into <paramref name="destination"/> (which must have ElementCount entries).</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"tensor '{Name}' has {ElementCount} elements, destination {destination.Length}");
        if (DType == SafeTensorDType.F32) MemoryMarshal.Cast<byte, float>(Bytes.Span).CopyTo(destination);
        else ToFloats().CopyTo(destination);
    }

    /// <summary>The values as int64 (from I64 or I32).</summary>
    public long[] ToInt64s() => DType switch
    {
        SafeTensorDType.I64 => MemoryMarshal.Cast<byte, long>(Bytes.Span).ToArray(),
        SafeTensorDType.I32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(Bytes.Span).ToArray(), i => (long)i),
        _ => throw new InvalidOperationException($"tensor '{Name}' is {DType}, not an integer type"),
    };

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeOf(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 => 2,
        _ => 1,
    };

    internal static long ElementCountOf(long[] shape)
    {
        long n = 1;
        foreach (var d in shape) n = checked(n * d);
        return n;
    }
}
