using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff;

// Output types of the ops gradient rules and shape subgraphs use; anything else is left to value_info.
internal sealed partial class TypeInference
{
    private static readonly HashSet<string> SameAsInput =
    [
        "Neg", "Sqrt", "Reciprocal", "Exp", "Log", "Tanh", "Sigmoid", "Erf", "Relu", "Abs", "Sin", "Cos", "Sign",
        "Identity", "Softmax", "LogSoftmax", "Floor", "Ceil", "Round", "LeakyRelu", "Trilu", "Clip", "Not", "Softplus",
        "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "CumSum", "Hardmax", "Det", "Gelu",
    ];

    private static readonly HashSet<string> Broadcasting =
        ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "And", "Or", "Xor", "PRelu"];

    private static readonly HashSet<string> Comparisons = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"];

    private static readonly HashSet<string> Reductions =
        ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceL1", "ReduceSumSquare", "ReduceLogSumExp", "ArgMax", "ArgMin"];

    private TensorType[] Infer(NodeProto n)
    {
        TensorType In(int i) => i < n.Input.Count && n.Input[i].Length > 0 ? TypeOf(n.Input[i]) : TensorType.Unknown;
        var x = In(0);
        string op = n.OpType;
        if (SameAsInput.Contains(op)) return [x];
        if (Broadcasting.Contains(op)) return [new(x.Elem, TensorType.Broadcast(n.Input.Select(i => TypeOf(i).Dims).ToList()))];
        if (Comparisons.Contains(op)) return [new(DataType.Bool, TensorType.Broadcast([x.Dims, In(1).Dims]))];
        if (Reductions.Contains(op)) return [Reduce(n, x)];
        switch (op)
        {
            case "Dropout": return [x, x with { Elem = DataType.Bool }];
            case "IsNaN" or "IsInf": return [x with { Elem = DataType.Bool }];
            case "Where": return [new(In(1).Elem, TensorType.Broadcast([x.Dims, In(1).Dims, In(2).Dims]))];
            case "Cast": return [new((DataType)n.GetInt("to", 0), x.Dims)];
            case "CastLike": return [new(In(1).Elem, x.Dims)];
            case "Shape":
                return [new(DataType.Int64, x.Dims is null ? [Dim.Unknown] : [Dim.Of(ShapeRange(n, x.Dims.Length) is var (s, e) ? e - s : 0)])];
            case "Size": return [new(DataType.Int64, [])];
            case "NonZero": return [new(DataType.Int64, x.Rank is { } r ? [Dim.Of(r), Dim.Unknown] : null)];
            case "Range": return [new(x.Elem, [RangeLength(n)])];
            case "MatMul": return [new(x.Elem, MatMulDims(x.Dims, In(1).Dims))];
            case "Gemm": return [Gemm(n, x, In(1))];
            case "Transpose": return [Transpose(n, x)];
            case "Reshape": return [new(x.Elem, ShapeFromValue(n.Input[1], x.Dims))];
            case "Expand":
                var target = ShapeFromValue(n.Input[1], null);
                return [new(x.Elem, target is null ? null : TensorType.Broadcast([x.Dims, target]))];
            case "ConstantOfShape":
                var elem = n.GetTensor("value") is { } v ? Tensors.TypeOf(v) : DataType.Float;
                return [new(elem, ShapeFromValue(n.Input[0], null))];
            case "Constant": return ConstantNodeValue(n) is { } c ? [new(Tensors.TypeOf(c), c.Dims.Select(Dim.Of).ToArray())] : [TensorType.Unknown];
            case "Flatten": return [Flatten(n, x)];
            case "Squeeze": return [Squeeze(n, x)];
            case "Unsqueeze": return [Unsqueeze(n, x)];
            case "Concat": return [Concat(n)];
            case "Split": return Split(n, x);
            case "Slice": return [Slice(n, x)];
            case "Tile": return [new(x.Elem, x.Dims?.Select(_ => Dim.Unknown).ToArray() ?? (In(1).Dims is [{ Value: { } k }] ? Unknowns(k) : null))];
            case "Pad" or "Resize": return [new(x.Elem, x.Dims?.Select(_ => Dim.Unknown).ToArray())];
            case "Gather": return [Gather(n, x, In(1))];
            case "GatherElements": return [new(x.Elem, In(1).Dims)];
            case "ScatterND" or "ScatterElements": return [x];
            case "OneHot": return [new(In(2).Elem, In(0).Dims is { } d ? Unknowns(d.Length + 1) : null)];
            case "TopK": return [AxisUnknown(x, n.GetInt("axis", -1)), AxisUnknown(x, n.GetInt("axis", -1)) with { Elem = DataType.Int64 }];
            case "LayerNormalization": return LayerNorm(n, x);
            case "SoftmaxCrossEntropyLoss":
                return [new(x.Elem, n.GetString("reduction", "mean") == "none" ? In(1).Dims : []), x];
            case "Einsum": return [Einsum(n, x)];
            default: return [];
        }
    }

    private static Dim[] Unknowns(long rank) => Enumerable.Repeat(Dim.Unknown, (int)rank).ToArray();

    private static TensorType AxisUnknown(TensorType x, long axis)
    {
        if (x.Dims is null) return x;
        var dims = (Dim[])x.Dims.Clone();
        long a = axis < 0 ? axis + dims.Length : axis;
        if (a >= 0 && a < dims.Length) dims[a] = Dim.Unknown;
        return x with { Dims = dims };
    }

    // The dims held by a 1-D shape tensor: its values where tracked, else only its length.
    private Dim[]? ShapeFromValue(string shape, Dim[]? reshapedFrom)
    {
        if (DimsOf(shape) is { } values)
        {
            if (reshapedFrom is null) return values;
            var dims = new Dim[values.Length];
            for (int i = 0; i < values.Length; i++)
                dims[i] = values[i].Value == 0 && i < reshapedFrom.Length ? reshapedFrom[i] : values[i].Value == -1 ? Dim.Unknown : values[i];
            int minus = Array.FindIndex(values, v => v.Value == -1);
            if (minus >= 0) dims[minus] = SymbolicDims.Quotient(reshapedFrom, dims.Where((_, i) => i != minus));
            return dims;
        }
        return TypeOf(shape).Dims is [{ Value: { } k }] ? Unknowns(k) : null;
    }

    private static Dim[]? MatMulDims(Dim[]? a, Dim[]? b)
    {
        if (a is null || b is null || a.Length == 0 || b.Length == 0) return null;
        Dim[] a2 = a.Length == 1 ? [Dim.Of(1), a[0]] : a;
        Dim[] b2 = b.Length == 1 ? [b[0], Dim.Of(1)] : b;
        var batch = TensorType.Broadcast([a2[..^2], b2[..^2]])!;
        var dims = new List<Dim>(batch);
        if (a.Length > 1) dims.Add(a2[^2]);
        if (b.Length > 1) dims.Add(b2[^1]);
        return [.. dims];
    }

    private static TensorType Gemm(NodeProto n, TensorType a, TensorType b)
    {
        var m = a.Dims is [var a0, var a1] ? (n.GetInt("transA", 0) != 0 ? a1 : a0) : Dim.Unknown;
        var k = b.Dims is [var b0, var b1] ? (n.GetInt("transB", 0) != 0 ? b0 : b1) : Dim.Unknown;
        return new(a.Elem, [m, k]);
    }

    private static TensorType Transpose(NodeProto n, TensorType x)
    {
        if (x.Dims is null) return x;
        var perm = n.GetInts("perm") ?? Enumerable.Range(0, x.Dims.Length).Reverse().Select(i => (long)i).ToArray();
        return perm.Length == x.Dims.Length ? x with { Dims = perm.Select(p => x.Dims[p]).ToArray() } : x with { Dims = null };
    }

    private static TensorType Flatten(NodeProto n, TensorType x)
    {
        if (x.Dims is null) return x with { Dims = [Dim.Unknown, Dim.Unknown] };
        long axis = n.GetInt("axis", 1);
        if (axis < 0) axis += x.Dims.Length;
        return x with { Dims = [SymbolicDims.Product(x.Dims.Take((int)axis)), SymbolicDims.Product(x.Dims.Skip((int)axis))] };
    }

    private long[]? AxesOf(NodeProto n, int inputIndex) =>
        n.GetInts("axes") ?? (n.Input.Count > inputIndex && n.Input[inputIndex].Length > 0 ? IntsOf(n.Input[inputIndex]) : null);

    private TensorType Squeeze(NodeProto n, TensorType x)
    {
        if (x.Dims is null) return x;
        var axes = AxesOf(n, 1);
        if (axes is null)
        {
            bool noAxes = n.Input.Count < 2 || n.Input[1].Length == 0;
            if (!noAxes || x.Dims.Any(d => d.Value is null)) return x with { Dims = null };
            return x with { Dims = x.Dims.Where(d => !d.IsOne).ToArray() };
        }
        var drop = axes.Select(a => a < 0 ? a + x.Dims.Length : a).ToHashSet();
        return x with { Dims = x.Dims.Where((_, i) => !drop.Contains(i)).ToArray() };
    }

    private TensorType Unsqueeze(NodeProto n, TensorType x)
    {
        if (x.Dims is null) return x;
        var axes = AxesOf(n, 1);
        if (axes is null)
            return TypeOf(n.Input[1]).Dims is [{ Value: { } k }] ? x with { Dims = Unknowns(x.Dims.Length + k) } : x with { Dims = null };
        int rank = x.Dims.Length + axes.Length;
        var inserted = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        var dims = new Dim[rank];
        int src = 0;
        for (int i = 0; i < rank; i++) dims[i] = inserted.Contains(i) ? Dim.Of(1) : src < x.Dims.Length ? x.Dims[src++] : Dim.Unknown;
        return x with { Dims = dims };
    }

    private TensorType Concat(NodeProto n)
    {
        var parts = n.Input.Select(TypeOf).ToList();
        var first = parts.FirstOrDefault(p => p.Dims is not null) ?? parts[0];
        if (first.Dims is null) return first;
        long axis = n.GetInt("axis", 0);
        if (axis < 0) axis += first.Dims.Length;
        var dims = first.Dims.Select((d, i) => parts.All(p => p.Dims is not null && p.Dims.Length > i && p.Dims[i].SameAs(d)) ? d : Dim.Unknown).ToArray();
        if (axis >= 0 && axis < dims.Length)
        {
            var along = parts.Select(p => p.Dims is { } ds && ds.Length > axis ? ds[axis].Value : null).ToList();
            dims[axis] = along.All(v => v is not null) ? Dim.Of(along.Sum(v => v!.Value)) : Dim.Unknown;
        }
        return new TensorType(parts.Select(p => p.Elem).FirstOrDefault(e => e != DataType.Undefined), dims);
    }

    private TensorType Slice(NodeProto n, TensorType x)
    {
        if (x.Dims is null) return x;
        var dims = (Dim[])x.Dims.Clone();
        bool axesGiven = n.Input.Count > 3 && n.Input[3].Length > 0;
        var axes = axesGiven ? IntsOf(n.Input[3]) : null;
        if (axes is null && axesGiven) return x with { Dims = Unknowns(x.Dims.Length) };
        var starts = IntsOf(n.Input[1]);
        var ends = IntsOf(n.Input[2]);
        var steps = n.Input.Count > 4 && n.Input[4].Length > 0 ? IntsOf(n.Input[4]) : null;
        bool stepsGiven = n.Input.Count > 4 && n.Input[4].Length > 0;
        int count = starts?.Length ?? (TypeOf(n.Input[1]).Dims is [{ Value: { } k }] ? (int)k : dims.Length);
        axes ??= Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        for (int j = 0; j < axes.Length; j++)
        {
            long i = axes[j] < 0 ? axes[j] + dims.Length : axes[j];
            if (i < 0 || i >= dims.Length) continue;
            long? step = stepsGiven ? steps?[j] : 1;
            if (starts is null || step is null) dims[i] = Dim.Unknown;
            else if (ends is not null) dims[i] = SymbolicDims.Sliced(dims[i], starts[j], ends[j], step.Value);
            else dims[i] = DimsOf(n.Input[2]) is { } e && e.Length == axes.Length && starts[j] == 0 && step == 1
                ? SymbolicDims.Prefix(dims[i], e[j]) : Dim.Unknown;
        }
        return x with { Dims = dims };
    }

    private Dim RangeLength(NodeProto n)
    {
        if (IntsOf(n.Input[0]) is [var start] && IntsOf(n.Input[2]) is [var delta] && delta != 0)
        {
            if (start == 0 && delta == 1 && DimsOf(n.Input[1]) is [var limit]) return limit;
            if (IntsOf(n.Input[1]) is [var end]) return Dim.Of(Math.Max(0, (end - start + delta - Math.Sign(delta)) / delta));
        }
        return Dim.Unknown;
    }

    private TensorType[] Split(NodeProto n, TensorType x)
    {
        long axis = n.GetInt("axis", 0);
        var parts = Enumerable.Range(0, n.Output.Count).Select(_ => AxisUnknown(x, axis)).ToArray();
        if (x.Dims is null) return parts;
        int a = (int)(axis < 0 ? axis + x.Dims.Length : axis);
        var sizes = n.Input.Count > 1 && n.Input[1].Length > 0 ? IntsOf(n.Input[1]) : n.GetInts("split");
        if (sizes is null && x.Dims[a].Value is { } total && total % parts.Length == 0) sizes = Enumerable.Repeat(total / parts.Length, parts.Length).ToArray();
        if (sizes is null || sizes.Length != parts.Length) return parts;
        for (int i = 0; i < parts.Length; i++) parts[i].Dims![a] = Dim.Of(sizes[i]);
        return parts;
    }

    private static TensorType Gather(NodeProto n, TensorType data, TensorType indices)
    {
        if (data.Dims is null || indices.Dims is null) return data with { Dims = null };
        long axis = n.GetInt("axis", 0);
        if (axis < 0) axis += data.Dims.Length;
        return data with { Dims = [.. data.Dims.Take((int)axis), .. indices.Dims, .. data.Dims.Skip((int)axis + 1)] };
    }

    private TensorType Reduce(NodeProto n, TensorType x)
    {
        var elem = n.OpType is "ArgMax" or "ArgMin" ? DataType.Int64 : x.Elem;
        if (x.Dims is null) return new(elem, null);
        bool keep = n.GetInt("keepdims", 1) != 0;
        long[]? axes = n.OpType is "ArgMax" or "ArgMin" ? [n.GetInt("axis", 0)] : AxesOf(n, 1);
        bool axesGiven = n.GetInts("axes") is not null || (n.Input.Count > 1 && n.Input[1].Length > 0);
        if (axes is null && axesGiven) return new(elem, keep ? Unknowns(x.Dims.Length) : null);
        if (axes is null || axes.Length == 0)
        {
            if (n.GetInt("noop_with_empty_axes", 0) != 0) return x with { Elem = elem };
            axes = Enumerable.Range(0, x.Dims.Length).Select(i => (long)i).ToArray();
        }
        var set = axes.Select(a => a < 0 ? a + x.Dims.Length : a).ToHashSet();
        var dims = x.Dims.Select((d, i) => set.Contains(i) ? (keep ? Dim.Of(1) : (Dim?)null) : d).Where(d => d is not null).Select(d => d!.Value).ToArray();
        return new(elem, dims);
    }

    private static TensorType[] LayerNorm(NodeProto n, TensorType x)
    {
        var stash = n.GetInt("stash_type", 1) == 1 ? DataType.Float : x.Elem;
        if (x.Dims is null) return [x, new(stash, null), new(stash, null)];
        long axis = n.GetInt("axis", -1);
        if (axis < 0) axis += x.Dims.Length;
        var reduced = x.Dims.Select((d, i) => i >= axis ? Dim.Of(1) : d).ToArray();
        return [x, new(stash, reduced), new(stash, reduced)];
    }

    private static TensorType Einsum(NodeProto n, TensorType x)
    {
        string eq = n.GetString("equation", "").Replace(" ", "", StringComparison.Ordinal);
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0 || eq.Contains("...", StringComparison.Ordinal)) return new(x.Elem, null);
        return new(x.Elem, Unknowns(eq.Length - arrow - 2));
    }
}
