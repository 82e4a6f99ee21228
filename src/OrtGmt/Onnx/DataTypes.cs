using OrtGmt.Onnx.Proto;

namespace OrtGmt.Onnx;

/// <summary>Facts about ONNX element types that the rest of the code asks for.</summary>
public static class DataTypes
{
    /// <summary>Bytes per element of <paramref name="type"/>, or 0 where the size is not fixed (strings).</summary>
    public static int SizeOf(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Float => 4,
        TensorProto.Types.DataType.Double => 8,
        TensorProto.Types.DataType.Float16 => 2,
        TensorProto.Types.DataType.Bfloat16 => 2,
        TensorProto.Types.DataType.Int64 => 8,
        TensorProto.Types.DataType.Uint64 => 8,
        TensorProto.Types.DataType.Int32 => 4,
        TensorProto.Types.DataType.Uint32 => 4,
        TensorProto.Types.DataType.Int16 => 2,
        TensorProto.Types.DataType.Uint16 => 2,
        TensorProto.Types.DataType.Int8 => 1,
        TensorProto.Types.DataType.Uint8 => 1,
        TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Complex64 => 8,
        TensorProto.Types.DataType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>True for the floating-point types that can carry a gradient.</summary>
    public static bool IsFloat(TensorProto.Types.DataType type) =>
        type is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double
            or TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16;

    /// <summary>True for the floating-point types that can carry a gradient (raw ONNX enum value).</summary>
    public static bool IsFloat(int type) => IsFloat((TensorProto.Types.DataType)type);

    /// <summary>Number of elements of a tensor with <paramref name="dims"/>; throws on negative or overflowing dims.</summary>
    public static long ElementCount(IReadOnlyList<long> dims)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), $"negative dimension {d}");
            n = checked(n * d);
        }
        return n;
    }
}
