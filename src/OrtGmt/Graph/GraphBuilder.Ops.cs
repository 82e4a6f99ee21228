using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Graph;

// One typed helper per ONNX op (opset 17 signatures). Each returns the output's name.
public sealed partial class GraphBuilder
{
    /// <summary>Add (broadcasting).</summary>
    public string Add(string a, string b) => Op("Add", [a, b]);

    /// <summary>Sub (broadcasting).</summary>
    public string Sub(string a, string b) => Op("Sub", [a, b]);

    /// <summary>Mul (broadcasting).</summary>
    public string Mul(string a, string b) => Op("Mul", [a, b]);

    /// <summary>Div (broadcasting).</summary>
    public string Div(string a, string b) => Op("Div", [a, b]);

    /// <summary>Pow (broadcasting).</summary>
    public string Pow(string a, string b) => Op("Pow", [a, b]);

    /// <summary>Neg.</summary>
    public string Neg(string x) => Op("Neg", [x]);

    /// <summary>Abs.</summary>
    public string Abs(string x) => Op("Abs", [x]);

    /// <summary>Sqrt.</summary>
    public string Sqrt(string x) => Op("Sqrt", [x]);

    /// <summary>Reciprocal.</summary>
    public string Reciprocal(string x) => Op("Reciprocal", [x]);

    /// <summary>Exp.</summary>
    public string Exp(string x) => Op("Exp", [x]);

    /// <summary>Log.</summary>
    public string Log(string x) => Op("Log", [x]);

    /// <summary>Tanh.</summary>
    public string Tanh(string x) => Op("Tanh", [x]);

    /// <summary>Sigmoid.</summary>
    public string Sigmoid(string x) => Op("Sigmoid", [x]);

    /// <summary>Erf.</summary>
    public string Erf(string x) => Op("Erf", [x]);

    /// <summary>Relu.</summary>
    public string Relu(string x) => Op("Relu", [x]);

    /// <summary>Cos.</summary>
    public string Cos(string x) => Op("Cos", [x]);

    /// <summary>Sin.</summary>
    public string Sin(string x) => Op("Sin", [x]);

    /// <summary>Sign.</summary>
    public string Sign(string x) => Op("Sign", [x]);

    /// <summary>Identity.</summary>
    public string Identity(string x) => Op("Identity", [x]);

    /// <summary>Max (element-wise, broadcasting).</summary>
    public string Max(params string[] xs) => Op("Max", xs);

    /// <summary>Min (element-wise, broadcasting).</summary>
    public string Min(params string[] xs) => Op("Min", xs);

    /// <summary>Sum of several same-shaped or broadcastable tensors.</summary>
    public string Sum(params string[] xs) => xs.Length == 1 ? xs[0] : Op("Sum", xs);

    /// <summary>MatMul (numpy semantics: batched and broadcasting).</summary>
    public string MatMul(string a, string b) => Op("MatMul", [a, b]);

    /// <summary>Gemm: alpha·op(A)·op(B) + beta·C.</summary>
    public string Gemm(string a, string b, string? c = null, float alpha = 1f, float beta = 1f, bool transA = false, bool transB = false)
    {
        var attrs = new List<Onnx.Proto.AttributeProto>();
        if (alpha != 1f) attrs.Add(Attr.Float("alpha", alpha));
        if (beta != 1f) attrs.Add(Attr.Float("beta", beta));
        if (transA) attrs.Add(Attr.Int("transA", 1));
        if (transB) attrs.Add(Attr.Int("transB", 1));
        return Op("Gemm", c is null ? [a, b] : [a, b, c], [.. attrs]);
    }

    /// <summary>Transpose with an explicit permutation (null reverses the axes).</summary>
    public string Transpose(string x, params long[]? perm) =>
        perm is null || perm.Length == 0 ? Op("Transpose", [x]) : Op("Transpose", [x], Attr.Ints("perm", perm));

    /// <summary>Reshape to the shape held by the int64 tensor <paramref name="shape"/>.</summary>
    public string Reshape(string x, string shape) => Op("Reshape", [x, shape]);

    /// <summary>Reshape to a constant shape (0 copies a dim, -1 infers one).</summary>
    public string Reshape(string x, params long[] shape) => Reshape(x, Ints(shape));

    /// <summary>Shape, optionally sliced to [start, end).</summary>
    public string Shape(string x, long? start = null, long? end = null)
    {
        var attrs = new List<Onnx.Proto.AttributeProto>();
        if (start is { } s) attrs.Add(Attr.Int("start", s));
        if (end is { } e) attrs.Add(Attr.Int("end", e));
        return Op("Shape", [x], [.. attrs]);
    }

    /// <summary>Size (element count, int64 scalar).</summary>
    public string Size(string x) => Op("Size", [x]);

    /// <summary>Cast to <paramref name="to"/>.</summary>
    public string Cast(string x, DataType to) => Op("Cast", [x], Attr.Int("to", (long)to));

    /// <summary>CastLike: cast <paramref name="x"/> to the element type of <paramref name="like"/>.</summary>
    public string CastLike(string x, string like) => Op("CastLike", [x, like]);

    /// <summary>Gather along <paramref name="axis"/>.</summary>
    public string Gather(string data, string indices, long axis = 0) =>
        axis == 0 ? Op("Gather", [data, indices]) : Op("Gather", [data, indices], Attr.Int("axis", axis));

    /// <summary>GatherElements along <paramref name="axis"/>.</summary>
    public string GatherElements(string data, string indices, long axis) =>
        Op("GatherElements", [data, indices], Attr.Int("axis", axis));

    /// <summary>ScatterND with the given reduction ("none" or "add").</summary>
    public string ScatterND(string data, string indices, string updates, string reduction = "none") =>
        reduction == "none" ? Op("ScatterND", [data, indices, updates]) : Op("ScatterND", [data, indices, updates], Attr.String("reduction", reduction));

    /// <summary>ScatterElements along <paramref name="axis"/> with the given reduction.</summary>
    public string ScatterElements(string data, string indices, string updates, long axis, string reduction = "none") =>
        Op("ScatterElements", [data, indices, updates], Attr.Int("axis", axis), Attr.String("reduction", reduction));

    /// <summary>Concat along <paramref name="axis"/>.</summary>
    public string Concat(long axis, params string[] xs) => Op("Concat", xs, Attr.Int("axis", axis));

    /// <summary>Split into <paramref name="outputs"/> parts along <paramref name="axis"/>, with explicit sizes when given.</summary>
    public string[] Split(string x, long axis, int outputs, string? splitSizes = null) =>
        Node("Split", splitSizes is null ? [x] : [x, splitSizes], outputs, Attr.Int("axis", axis));

    /// <summary>Slice with tensor-valued starts/ends/axes/steps (axes and steps optional).</summary>
    public string Slice(string x, string starts, string ends, string? axes = null, string? steps = null)
    {
        var inputs = new List<string> { x, starts, ends };
        if (axes is not null || steps is not null) inputs.Add(axes ?? "");
        if (steps is not null) inputs.Add(steps);
        return Op("Slice", inputs);
    }

    /// <summary>Slice with constant starts/ends/axes (and steps).</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[]? steps = null) =>
        Slice(x, Ints(starts), Ints(ends), Ints(axes), steps is null ? null : Ints(steps));

    /// <summary>Squeeze the given axes (all size-1 axes when none).</summary>
    public string Squeeze(string x, params long[] axes) => axes.Length == 0 ? Op("Squeeze", [x]) : Op("Squeeze", [x, Ints(axes)]);

    /// <summary>Unsqueeze at the given axes.</summary>
    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", [x, Ints(axes)]);

    /// <summary>Unsqueeze at axes held by a tensor.</summary>
    public string Unsqueeze(string x, string axes) => Op("Unsqueeze", [x, axes]);

    /// <summary>Expand to the shape held by <paramref name="shape"/> (broadcasting).</summary>
    public string Expand(string x, string shape) => Op("Expand", [x, shape]);

    /// <summary>Tile by the repeats held by <paramref name="repeats"/>.</summary>
    public string Tile(string x, string repeats) => Op("Tile", [x, repeats]);

    /// <summary>Where(condition, x, y).</summary>
    public string Where(string condition, string x, string y) => Op("Where", [condition, x, y]);

    /// <summary>Equal.</summary>
    public string Equal(string a, string b) => Op("Equal", [a, b]);

    /// <summary>Less.</summary>
    public string Less(string a, string b) => Op("Less", [a, b]);

    /// <summary>Greater.</summary>
    public string Greater(string a, string b) => Op("Greater", [a, b]);

    /// <summary>GreaterOrEqual.</summary>
    public string GreaterOrEqual(string a, string b) => Op("GreaterOrEqual", [a, b]);

    /// <summary>LessOrEqual.</summary>
    public string LessOrEqual(string a, string b) => Op("LessOrEqual", [a, b]);

    /// <summary>Not.</summary>
    public string Not(string x) => Op("Not", [x]);

    /// <summary>And.</summary>
    public string And(string a, string b) => Op("And", [a, b]);

    /// <summary>Or.</summary>
    public string Or(string a, string b) => Op("Or", [a, b]);

    /// <summary>Range(start, limit, delta).</summary>
    public string Range(string start, string limit, string delta) => Op("Range", [start, limit, delta]);

    /// <summary>ConstantOfShape filled with <paramref name="value"/> of the given type.</summary>
    public string ConstantOfShape(string shape, double value, DataType type)
    {
        var t = type switch
        {
            DataType.Float => Onnx.Tensors.FromFloats("value", [1], [(float)value]),
            DataType.Double => Onnx.Tensors.FromDoubles("value", [1], [value]),
            DataType.Int64 => Onnx.Tensors.FromInt64s("value", [1], [checked((long)value)]),
            _ => throw new NotSupportedException($"ConstantOfShape of {type}"),
        };
        return Op("ConstantOfShape", [shape], Attr.Tensor("value", t));
    }

    /// <summary>ReduceSum over axes held by a tensor (opset 13+ signature).</summary>
    public string ReduceSum(string x, string? axes, bool keepDims = true, bool noopWithEmptyAxes = false)
    {
        var attrs = new List<Onnx.Proto.AttributeProto> { Attr.Int("keepdims", keepDims ? 1 : 0) };
        if (noopWithEmptyAxes) attrs.Add(Attr.Int("noop_with_empty_axes", 1));
        return Op("ReduceSum", axes is null ? [x] : [x, axes], [.. attrs]);
    }

    /// <summary>ReduceSum over constant axes.</summary>
    public string ReduceSum(string x, long[] axes, bool keepDims = true) => ReduceSum(x, Ints(axes), keepDims);

    /// <summary>ReduceMean over constant axes (attribute form, opset ≤ 17).</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true) =>
        Op("ReduceMean", [x], Attr.Ints("axes", axes), Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>ReduceMax over constant axes (attribute form, opset ≤ 17).</summary>
    public string ReduceMax(string x, long[] axes, bool keepDims = true) =>
        Op("ReduceMax", [x], Attr.Ints("axes", axes), Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public string Softmax(string x, long axis = -1) => Op("Softmax", [x], Attr.Int("axis", axis));

    /// <summary>LogSoftmax along <paramref name="axis"/>.</summary>
    public string LogSoftmax(string x, long axis = -1) => Op("LogSoftmax", [x], Attr.Int("axis", axis));

    /// <summary>OneHot(indices, depth, values) along <paramref name="axis"/>.</summary>
    public string OneHot(string indices, string depth, string values, long axis = -1) =>
        Op("OneHot", [indices, depth, values], Attr.Int("axis", axis));

    /// <summary>NonZero.</summary>
    public string NonZero(string x) => Op("NonZero", [x]);

    /// <summary>Trilu (upper when <paramref name="upper"/>), with an optional diagonal offset tensor.</summary>
    public string Trilu(string x, bool upper, string? k = null) =>
        Op("Trilu", k is null ? [x] : [x, k], Attr.Int("upper", upper ? 1 : 0));
}
