using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Graph;

/// <summary>
/// Writes ONNX graphs: unique names, graph inputs and outputs with value infos, initializers,
/// deduplicated constants, and one typed helper per op (see GraphBuilder.Ops.cs). It can wrap an
/// existing graph to append to it, which is how the loss and the gradient graph are added.
/// Values are referred to by their names.
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();

    /// <summary>The graph being written.</summary>
    public GraphProto Graph { get; }

    /// <summary>The default-domain opset the emitted nodes follow.</summary>
    public int Opset { get; }

    /// <summary>Starts an empty graph.</summary>
    public GraphBuilder(string name, int opset = DefaultOpset) : this(new GraphProto { Name = name }, opset) { }

    /// <summary>Wraps <paramref name="graph"/> to append to it; every name it already uses is reserved.</summary>
    public GraphBuilder(GraphProto graph, int opset = DefaultOpset)
    {
        Graph = graph;
        Opset = opset;
        foreach (var v in graph.Input) _names.Add(v.Name);
        foreach (var v in graph.Output) _names.Add(v.Name);
        foreach (var v in graph.ValueInfo) _names.Add(v.Name);
        foreach (var t in graph.Initializer) _names.Add(t.Name);
        foreach (var n in graph.Node)
        {
            if (n.Name.Length > 0) _names.Add(n.Name);
            foreach (var o in n.Output) _names.Add(o);
            foreach (var i in n.Input) _names.Add(i);
        }
    }

    /// <summary>The opset OrtGmt emits: 17, the newest that PyTorch 1.13's exporter and ONNX Runtime both speak fully.</summary>
    public const int DefaultOpset = 17;

    /// <summary>A fresh name built from <paramref name="hint"/> and the current scope.</summary>
    public string UniqueName(string hint)
    {
        string baseName = _scopes.Count == 0 ? hint : _scopes.Peek() + "/" + hint;
        if (_names.Add(baseName)) return baseName;
        for (int i = 1; ; i++)
        {
            string candidate = baseName + "_" + i;
            if (_names.Add(candidate)) return candidate;
        }
    }

    /// <summary>Reserves <paramref name="name"/> exactly; fails if it is taken.</summary>
    public string ReserveName(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"name '{name}' is already used in graph '{Graph.Name}'");
        return name;
    }

    /// <summary>Prefixes names made inside the returned scope with <paramref name="name"/> (nested with '/').</summary>
    public IDisposable Scope(string name)
    {
        _scopes.Push(_scopes.Count == 0 ? name : _scopes.Peek() + "/" + name);
        return new PopScope(_scopes);
    }

    private sealed class PopScope(Stack<string> scopes) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            scopes.Pop();
        }
    }

    /// <summary>Declares a graph input; dims are numbers, symbolic names (strings) or null for unknown.</summary>
    public string Input(string name, DataType type, params object?[] dims)
    {
        ReserveName(name);
        Graph.Input.Add(ValueInfos.Tensor(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a graph output, renaming it with an Identity when needed.</summary>
    public string Output(string value, string name, DataType type, params object?[] dims)
    {
        if (value != name)
        {
            ReserveName(name);
            AddNode("Identity", [value], [name]);
        }
        Graph.Output.Add(ValueInfos.Tensor(name, type, dims));
        return name;
    }

    /// <summary>Records the type and shape of an intermediate value.</summary>
    public void ValueInfo(string name, DataType type, params object?[] dims) =>
        Graph.ValueInfo.Add(ValueInfos.Tensor(name, type, dims));

    /// <summary>Adds an initializer (its name must be free).</summary>
    public string Initializer(TensorProto tensor)
    {
        ReserveName(tensor.Name);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Appends a node with explicit output names and returns it.</summary>
    public NodeProto AddNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs,
        IEnumerable<AttributeProto>? attributes = null, string domain = "", string? name = null)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = UniqueName(name ?? opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>Appends a node with <paramref name="outputCount"/> fresh outputs and returns their names.</summary>
    public string[] Node(string opType, IEnumerable<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++) outputs[i] = UniqueName(opType + (outputCount > 1 ? $"_out{i}" : "_out"));
        AddNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Appends a single-output node and returns the output's name.</summary>
    public string Op(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>A constant tensor (a Constant node), shared with any identical constant already made.</summary>
    public string Constant(TensorProto value)
    {
        string key = value.DataType + ":" + string.Join(",", value.Dims) + ":" + Convert.ToBase64String(Tensors.ReadBytes(value));
        if (_constants.TryGetValue(key, out var existing)) return existing;
        string name = UniqueName("const");
        var t = value.Clone();
        t.Name = name;
        AddNode("Constant", [], [name], [Attr.Tensor("value", t)]);
        _constants[key] = name;
        return name;
    }

    /// <summary>A 1-D int64 constant (axes, shapes, indices).</summary>
    public string Ints(params long[] values) => Constant(Tensors.FromInt64s("c", [values.Length], values));

    /// <summary>A scalar int64 constant.</summary>
    public string IntScalar(long value) => Constant(Tensors.FromInt64s("c", [], [value]));

    /// <summary>A scalar of <paramref name="type"/> (float, double or int64) holding <paramref name="value"/>.</summary>
    public string Scalar(double value, DataType type) => type switch
    {
        DataType.Float => Constant(Tensors.FromFloats("c", [], [(float)value])),
        DataType.Double => Constant(Tensors.FromDoubles("c", [], [value])),
        DataType.Int64 => Constant(Tensors.FromInt64s("c", [], [checked((long)value)])),
        _ => throw new NotSupportedException($"scalar constants of type {type} are not supported"),
    };

    /// <summary>A float32 scalar constant.</summary>
    public string FloatScalar(float value) => Scalar(value, DataType.Float);

    /// <summary>Builds a model around the graph with the default-domain opset import.</summary>
    public ModelProto ToModel(string producer = "ortgmt", long irVersion = 8)
    {
        var m = new ModelProto { IrVersion = irVersion, ProducerName = producer, ProducerVersion = ThisAssembly.Version, Graph = Graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return m;
    }
}

/// <summary>Value-info helpers.</summary>
public static class ValueInfos
{
    /// <summary>A tensor value info; dims are long/int values, symbolic strings, or null for unknown.</summary>
    public static ValueInfoProto Tensor(string name, DataType type, IEnumerable<object?> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            switch (d)
            {
                case null: break;
                case string s: dim.DimParam = s; break;
                case int i: dim.DimValue = i; break;
                case long l: dim.DimValue = l; break;
                default: throw new ArgumentException($"dimension '{d}' of '{name}' must be a number, a name or null");
            }
            shape.Dim.Add(dim);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    /// <summary>The element type of a tensor value info, or Undefined.</summary>
    public static DataType ElementType(ValueInfoProto v) =>
        v.Type?.TensorType is { } t ? (DataType)t.ElemType : DataType.Undefined;
}

/// <summary>Version stamps written into generated files.</summary>
public static class ThisAssembly
{
    /// <summary>The OrtGmt library version.</summary>
    public static string Version { get; } =
        typeof(ThisAssembly).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
