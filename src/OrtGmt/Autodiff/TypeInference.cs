using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff;

/// <summary>
/// Element types, ranks and (where cheap) dims of every value of a graph, plus the values of small
/// integer tensors (shapes, axes, sizes) where they can be read or computed without running the graph.
/// Inferred facts win over the model's value_info, which only fills what inference could not settle.
/// </summary>
internal sealed partial class TypeInference
{
    // Integer tensors larger than this are never tracked as values: shape and axes tensors are tiny.
    private const int MaxTrackedValues = 64;

    private readonly Dictionary<string, TensorType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dim[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private int _fresh;

    public TypeInference(GraphProto graph)
    {
        var graphInputs = new HashSet<string>(graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        var declared = new Dictionary<string, TensorType>(StringComparer.Ordinal);
        foreach (var v in graph.ValueInfo.Concat(graph.Output)) declared[v.Name] = FromValueInfo(v);
        foreach (var t in graph.Initializer)
        {
            _types[t.Name] = new TensorType(Tensors.TypeOf(t), t.Dims.Select(Dim.Of).ToArray());
            if (!graphInputs.Contains(t.Name)) AddConstant(t.Name, t);
        }
        foreach (var v in graph.Input) _types[v.Name] = Named(Merge(FromValueInfo(v), _types.GetValueOrDefault(v.Name)));
        foreach (var node in graph.Node)
        {
            var inferred = Infer(node);
            for (int i = 0; i < node.Output.Count; i++)
            {
                string o = node.Output[i];
                if (o.Length == 0) continue;
                var t = i < inferred.Length ? inferred[i] : TensorType.Unknown;
                _types[o] = Named(Merge(t, declared.GetValueOrDefault(o)));
            }
            InferValues(node);
        }
    }

    /// <summary>What is known of <paramref name="name"/> (Unknown when nothing is).</summary>
    public TensorType TypeOf(string name) => _types.GetValueOrDefault(name, TensorType.Unknown);

    /// <summary>The values of a small integer tensor when all are known numbers, else null.</summary>
    public long[]? IntsOf(string name) =>
        _values.TryGetValue(name, out var v) && v.All(d => d.Value is not null) ? v.Select(d => d.Value!.Value).ToArray() : null;

    /// <summary>The symbolic values of a small integer tensor (shape arithmetic), else null.</summary>
    public Dim[]? DimsOf(string name) => _values.GetValueOrDefault(name);

    /// <summary>The tensor behind a constant value (a Constant node or an initializer that is not a graph input).</summary>
    public TensorProto? ConstantOf(string name) => _constants.GetValueOrDefault(name);

    private void AddConstant(string name, TensorProto t)
    {
        _constants[name] = t;
        var type = Tensors.TypeOf(t);
        if (t.Dims.Count > 1 || Tensors.ElementCount(t) > MaxTrackedValues || Tensors.IsExternal(t)) return;
        if (type == DataType.Int64) _values[name] = Tensors.ReadInt64s(t).Select(Dim.Of).ToArray();
        else if (type == DataType.Int32)
            _values[name] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Tensors.ReadBytes(t)).ToArray().Select(v => Dim.Of(v)).ToArray();
    }

    // Gives every unknown dim a fresh name: it stands for one fixed run-time size, so values computed from
    // it element-wise share it and need no broadcast reduction between them.
    private TensorType Named(TensorType t)
    {
        if (t.Dims is null || t.Dims.All(d => d.Value is not null || d.Param is not null)) return t;
        return t with { Dims = t.Dims.Select(d => d.Value is null && d.Param is null ? new Dim(null, "?" + _fresh++) : d).ToArray() };
    }

    private static TensorType FromValueInfo(ValueInfoProto v)
    {
        var tt = v.Type?.TensorType;
        if (tt is null) return TensorType.Unknown;
        Dim[]? dims = tt.Shape is null ? null : tt.Shape.Dim.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? Dim.Of(d.DimValue)
            : d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam && d.DimParam.Length > 0 ? new Dim(null, d.DimParam)
            : Dim.Unknown).ToArray();
        return new TensorType((DataType)tt.ElemType, dims);
    }

    // Per dim: a number beats a name beats unknown; inferred facts come first.
    private static TensorType Merge(TensorType inferred, TensorType? declared)
    {
        if (declared is null) return inferred;
        var elem = inferred.Elem != DataType.Undefined ? inferred.Elem : declared.Elem;
        if (inferred.Dims is null || declared.Dims is null || inferred.Dims.Length != declared.Dims.Length)
            return new TensorType(elem, inferred.Dims ?? declared.Dims);
        var dims = inferred.Dims.Zip(declared.Dims).Select(p =>
            p.First.Value is not null ? p.First
            : p.Second.Value is not null ? p.Second
            : p.First.Param is not null ? p.First : p.Second).ToArray();
        return new TensorType(elem, dims);
    }

    private static TensorProto? ConstantNodeValue(NodeProto node)
    {
        if (node.Find("value") is { } v) return v.T;
        if (node.Find("value_int") is { } i) return Tensors.FromInt64s("v", [], [i.I]);
        if (node.Find("value_ints") is { } ii) return Tensors.FromInt64s("v", [ii.Ints.Count], ii.Ints.ToArray());
        if (node.Find("value_float") is { } f) return Tensors.FromFloats("v", [], [f.F]);
        if (node.Find("value_floats") is { } ff) return Tensors.FromFloats("v", [ff.Floats.Count], ff.Floats.ToArray());
        return null;
    }

    // Follows small integer tensors through the ops shape subgraphs are made of.
    private void InferValues(NodeProto n)
    {
        if (n.Output.Count == 0 || n.Output[0].Length == 0) return;
        string o = n.Output[0];
        Dim[]? In(int i) => i < n.Input.Count ? _values.GetValueOrDefault(n.Input[i]) : null;
        Dim[]? result = null;
        switch (n.OpType)
        {
            case "Constant":
                if (ConstantNodeValue(n) is { } t) AddConstant(o, t);
                return;
            case "Shape":
                if (TypeOf(n.Input[0]).Dims is { } dims)
                {
                    var (s, e) = ShapeRange(n, dims.Length);
                    result = dims[s..e];
                }
                break;
            case "Size":
                if (TypeOf(n.Input[0]).StaticDims is { } sd) result = [Dim.Of(sd.Aggregate(1L, (a, b) => a * b))];
                break;
            case "Identity" or "Squeeze" or "Unsqueeze" or "Reshape" or "Flatten":
                result = In(0);
                break;
            case "ConstantOfShape":
                if (IntsOf(n.Input[0]) is [var count] && count <= MaxTrackedValues
                    && n.GetTensor("value") is { } fill && Tensors.TypeOf(fill) == DataType.Int64)
                    result = Enumerable.Repeat(Dim.Of(Tensors.ReadInt64s(fill)[0]), (int)count).ToArray();
                break;
            case "Equal":
                if (In(0) is { } ea && In(1) is { } eb && Broadcast1(ea.Length, eb.Length) is { } len)
                {
                    var eq = Enumerable.Range(0, len).Select(i => EqualDims(ea[ea.Length == 1 ? 0 : i], eb[eb.Length == 1 ? 0 : i])).ToArray();
                    if (eq.All(v => v is not null)) result = eq.Select(v => Dim.Of(v!.Value ? 1 : 0)).ToArray();
                }
                break;
            case "Where":
                if (IntsOf(n.Input[0]) is { } wc && In(1) is { } wa && In(2) is { } wb && Broadcast1(Broadcast1(wc.Length, wa.Length) ?? -1, wb.Length) is { } wl)
                    result = Enumerable.Range(0, wl).Select(i => wc[wc.Length == 1 ? 0 : i] != 0 ? wa[wa.Length == 1 ? 0 : i] : wb[wb.Length == 1 ? 0 : i]).ToArray();
                break;
            case "Cast":
                if (n.GetInt("to", 0) is (long)DataType.Int64 or (long)DataType.Int32) result = In(0);
                break;
            case "Concat":
                var parts = Enumerable.Range(0, n.Input.Count).Select(In).ToList();
                if (parts.All(p => p is not null)) result = parts.SelectMany(p => p!).ToArray();
                break;
            case "Gather":
                if (In(0) is { } data && IntsOf(n.Input[1]) is { } idx && n.GetInt("axis", 0) == 0)
                {
                    if (idx.Any(i => i < -data.Length || i >= data.Length)) return;
                    result = idx.Select(i => data[i < 0 ? i + data.Length : i]).ToArray();
                }
                break;
            case "Slice":
                result = SliceValues(n, In(0));
                break;
            case "Add" or "Sub" or "Mul" or "Div":
                result = Arithmetic(n.OpType, In(0), In(1));
                break;
        }
        if (result is not null && result.Length <= MaxTrackedValues) _values[o] = result;
    }

    // Sizes are never negative, so a symbolic size differs from a negative constant (torch's expand uses -1).
    private static bool? EqualDims(Dim a, Dim b) =>
        a.SameAs(b) ? true
        : a.Value is not null && b.Value is not null ? false
        : (a.Value < 0 && b.Param is not null) || (b.Value < 0 && a.Param is not null) ? false
        : null;

    // Length of a 1-D broadcast of two tracked vectors, or null when they do not broadcast.
    private static int? Broadcast1(int a, int b) => a < 0 || b < 0 ? null : a == b || b == 1 ? a : a == 1 ? b : null;

    private Dim[]? SliceValues(NodeProto n, Dim[]? data)
    {
        if (data is null || n.Input.Count < 3) return null;
        var starts = IntsOf(n.Input[1]);
        var ends = IntsOf(n.Input[2]);
        long[]? axes = n.Input.Count > 3 && n.Input[3].Length > 0 ? IntsOf(n.Input[3]) : [0];
        long[]? steps = n.Input.Count > 4 && n.Input[4].Length > 0 ? IntsOf(n.Input[4]) : [1];
        if (starts is not { Length: 1 } || ends is not { Length: 1 } || axes is not [0] || steps is not [1]) return null;
        long len = data.Length;
        long s = Math.Clamp(starts[0] < 0 ? starts[0] + len : starts[0], 0, len);
        long e = Math.Clamp(ends[0] < 0 ? ends[0] + len : ends[0], 0, len);
        return e <= s ? [] : data[(int)s..(int)e];
    }

    private static Dim[]? Arithmetic(string op, Dim[]? a, Dim[]? b)
    {
        if (a is null || b is null || (a.Length != b.Length && a.Length != 1 && b.Length != 1)) return null;
        int len = Math.Max(a.Length, b.Length);
        var r = new Dim[len];
        for (int i = 0; i < len; i++)
        {
            var x = a[a.Length == 1 ? 0 : i];
            var y = b[b.Length == 1 ? 0 : i];
            r[i] = x.Value is { } u && y.Value is { } v
                ? Dim.Of(op switch { "Add" => u + v, "Sub" => u - v, "Mul" => u * v, _ => v == 0 ? 0 : u / v })
                : op == "Sub" && x.SameAs(y) ? Dim.Of(0)
                : op == "Mul" && (x.Value ?? 0) >= 0 && (y.Value ?? 0) >= 0 ? SymbolicDims.Product([x, y])
                : op == "Mul" && y.Value == 1 ? x
                : op == "Mul" && x.Value == 1 ? y
                : Dim.Unknown;
        }
        return r;
    }

    private static (int Start, int End) ShapeRange(NodeProto n, int rank)
    {
        long s = n.GetInt("start", 0), e = n.GetInt("end", rank);
        if (s < 0) s += rank;
        if (e < 0) e += rank;
        s = Math.Clamp(s, 0, rank);
        e = Math.Clamp(e, s, rank);
        return ((int)s, (int)e);
    }
}
