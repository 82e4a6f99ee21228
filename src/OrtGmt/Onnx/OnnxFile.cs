using Google.Protobuf;
using OrtGmt.Errors;
using OrtGmt.IO;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Onnx;

/// <summary>Options for <see cref="OnnxFile.Save"/>.</summary>
public sealed record OnnxSaveOptions
{
    /// <summary>
    /// Above this many bytes of initializer data the model is saved with external data. Protobuf
    /// cannot encode a message of 2 GiB or more, so the default leaves headroom for the graph itself.
    /// </summary>
    public long ExternalDataThreshold { get; init; } = 2L * 1024 * 1024 * 1024 - 64L * 1024 * 1024;

    /// <summary>Always write initializers to an external data file, whatever their total size.</summary>
    public bool ForceExternalData { get; init; }

    /// <summary>Initializers smaller than this stay inline even when the model uses external data.</summary>
    public long MinExternalTensorBytes { get; init; } = 1024;

    /// <summary>External file name (relative to the model's folder); default: the model's file name + ".data".</summary>
    public string? ExternalDataFileName { get; init; }
}

/// <summary>Loads and saves ONNX models, including external data, with clear errors for bad files.</summary>
public static class OnnxFile
{
    private const int ExternalAlignment = 64;

    /// <summary>
    /// Reads the model at <paramref name="path"/> and validates what later stages rely on: a graph,
    /// named nodes' op types, initializer sizes, and external-data locations confined to the model's folder.
    /// </summary>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidFileException(path, "file not found");
        ModelProto model;
        try
        {
            using var fs = File.OpenRead(path);
            var input = new CodedInputStream(fs);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidFileException(path, $"not a readable ONNX model (truncated or corrupted protobuf: {e.Message})", inner: e);
        }
        catch (IOException e)
        {
            throw new InvalidFileException(path, $"cannot read: {e.Message}", inner: e);
        }
        try
        {
            Validate(model, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (GraphException e)
        {
            throw new InvalidFileException(path, e.Message, inner: e);
        }
        return model;
    }

    /// <summary>Parses a model from bytes in memory (no external data can be resolved).</summary>
    public static ModelProto Parse(byte[] bytes, string nameForErrors = "<memory>")
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            if (model.Graph is null) throw new InvalidFileException(nameForErrors, "ONNX model has no graph");
            return model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidFileException(nameForErrors, $"not a readable ONNX model: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> (atomically: temp file, then rename).
    /// Initializer data moves to an external file when its total passes the threshold; the model
    /// object passed in is not modified.
    /// </summary>
    public static void Save(ModelProto model, string path, OnnxSaveOptions? options = null)
    {
        options ??= new OnnxSaveOptions();
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        long inlineBytes = model.Graph.Initializer.Sum(t => (long)t.RawData.Length + t.FloatData.Count * 4L + t.Int64Data.Count * 8L + t.DoubleData.Count * 8L);
        var toWrite = model;
        string? dataName = null;
        if (options.ForceExternalData || inlineBytes > options.ExternalDataThreshold)
        {
            dataName = options.ExternalDataFileName ?? Path.GetFileName(path) + ".data";
            ExternalData.CheckedPath("(model)", dataName, dir);
            toWrite = WithExternalData(model, dir, dataName, options.MinExternalTensorBytes);
        }
        AtomicFile.Write(path, stream =>
        {
            var output = new CodedOutputStream(stream, leaveOpen: true);
            toWrite.WriteTo(output);
            output.Flush();
        });
    }

    /// <summary>A shallow copy of <paramref name="model"/> whose large initializers point into <paramref name="dataName"/>.</summary>
    private static ModelProto WithExternalData(ModelProto model, string dir, string dataName, long minBytes)
    {
        var copy = new ModelProto
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Domain = model.Domain,
            ModelVersion = model.ModelVersion,
            DocString = model.DocString,
        };
        copy.OpsetImport.AddRange(model.OpsetImport);
        copy.MetadataProps.AddRange(model.MetadataProps);
        copy.Functions.AddRange(model.Functions);
        var g = model.Graph;
        var graph = new GraphProto { Name = g.Name, DocString = g.DocString };
        graph.Node.AddRange(g.Node);
        graph.Input.AddRange(g.Input);
        graph.Output.AddRange(g.Output);
        graph.ValueInfo.AddRange(g.ValueInfo);
        graph.SparseInitializer.AddRange(g.SparseInitializer);
        graph.QuantizationAnnotation.AddRange(g.QuantizationAnnotation);
        graph.MetadataProps.AddRange(g.MetadataProps);
        copy.Graph = graph;

        string dataPath = Path.Combine(dir, dataName);
        AtomicFile.Write(dataPath, stream =>
        {
            long offset = 0;
            foreach (var t in g.Initializer)
            {
                if (Tensors.IsExternal(t) || DataTypes.SizeOf(Tensors.TypeOf(t)) == 0)
                {
                    graph.Initializer.Add(t);
                    continue;
                }
                byte[] bytes = Tensors.ReadBytes(t);
                if (bytes.Length < minBytes)
                {
                    graph.Initializer.Add(t);
                    continue;
                }
                long pad = (ExternalAlignment - offset % ExternalAlignment) % ExternalAlignment;
                stream.Write(new byte[pad]);
                offset += pad;
                stream.Write(bytes);
                var stub = new TensorProto { Name = t.Name, DataType = t.DataType, DocString = t.DocString };
                stub.Dims.AddRange(t.Dims);
                ExternalData.SetLocation(stub, dataName, offset, bytes.Length);
                graph.Initializer.Add(stub);
                offset += bytes.Length;
            }
        });
        return copy;
    }

    private static void Validate(ModelProto model, string dir)
    {
        if (model.Graph is null) throw new GraphException("ONNX model has no graph");
        if (model.IrVersion <= 0) throw new GraphException("ONNX model has no ir_version");
        foreach (var (node, i) in model.Graph.Node.Select((n, i) => (n, i)))
        {
            if (string.IsNullOrEmpty(node.OpType))
                throw new GraphException($"node #{i} ('{node.Name}') has no op_type");
        }
        foreach (var t in model.Graph.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) throw new GraphException("an initializer has no name");
            if (t.Dims.Any(d => d < 0)) throw new GraphException($"initializer '{t.Name}' has a negative dimension {Tensors.FormatDims(t.Dims)}");
            if (Tensors.IsExternal(t))
            {
                ExternalData.Resolve(t, dir);
                continue;
            }
            int size = DataTypes.SizeOf(Tensors.TypeOf(t));
            if (size > 0 && !t.RawData.IsEmpty)
            {
                long expected;
                try { expected = DataTypes.ElementCount(t.Dims) * size; }
                catch (OverflowException) { throw new GraphException($"initializer '{t.Name}' has dims {Tensors.FormatDims(t.Dims)} too large to address"); }
                if (t.RawData.Length != expected)
                    throw new GraphException($"initializer '{t.Name}': raw_data has {t.RawData.Length} bytes, {expected} expected for dims {Tensors.FormatDims(t.Dims)}");
            }
        }
    }
}
