using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff;

/// <summary>One dimension of a tensor: a number, a symbolic name, or unknown (both null).</summary>
internal readonly record struct Dim(long? Value, string? Param)
{
    public static readonly Dim Unknown = new(null, null);

    public static Dim Of(long value) => new(value, null);

    public bool IsOne => Value == 1;

    /// <summary>True when both certainly have the same size at run time.</summary>
    public bool SameAs(Dim other) =>
        (Value is { } a && other.Value is { } b && a == b) || (Param is not null && Param == other.Param);

    public override string ToString() => Value?.ToString() ?? Param ?? "?";
}

/// <summary>Element type and (where known) rank and dims of a value; Dims is null when the rank is unknown.</summary>
internal sealed record TensorType(DataType Elem, Dim[]? Dims)
{
    public static readonly TensorType Unknown = new(DataType.Undefined, null);

    public int? Rank => Dims?.Length;

    /// <summary>True when both shapes are certainly equal (same rank, every dim the same number or name).</summary>
    public bool SameShape(TensorType other) =>
        Dims is not null && other.Dims is not null && Dims.Length == other.Dims.Length
        && Dims.Zip(other.Dims).All(p => p.First.SameAs(p.Second));

    /// <summary>The dims when all are numbers, else null.</summary>
    public long[]? StaticDims => Dims is not null && Dims.All(d => d.Value is not null) ? Dims.Select(d => d.Value!.Value).ToArray() : null;

    public override string ToString() => $"{Elem}[{(Dims is null ? "?" : string.Join(",", Dims))}]";

    /// <summary>Numpy-style broadcast of several shapes; null if any rank is unknown.</summary>
    public static Dim[]? Broadcast(IReadOnlyList<Dim[]?> shapes)
    {
        if (shapes.Count == 0 || shapes.Any(s => s is null)) return null;
        int rank = shapes.Max(s => s!.Length);
        var result = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            var dims = shapes.Where(s => s!.Length >= rank - i).Select(s => s![s.Length - rank + i]).ToList();
            var notOne = dims.Where(d => !d.IsOne).ToList();
            if (notOne.Count == 0) result[i] = Dim.Of(1);
            else if (notOne.All(d => d.SameAs(notOne[0]))) result[i] = notOne[0];
            else if (notOne.FirstOrDefault(d => d.Param is not null && SymbolicDims.BoundOf(d) is null) is { Param: { } p } x
                && notOne.All(d => d.SameAs(x) || SymbolicDims.BoundOf(d) == p))
            {
                // min(c, p) against p: either they are equal or one of them is 1, and the result is p.
                result[i] = x;
            }
            else result[i] = notOne.FirstOrDefault(d => d.Value is not null, Dim.Unknown);
        }
        return result;
    }
}
