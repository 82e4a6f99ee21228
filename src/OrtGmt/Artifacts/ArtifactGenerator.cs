using System.Security.Cryptography;
using OrtGmt.Autodiff;
using OrtGmt.Errors;
using OrtGmt.Graph;
using OrtGmt.Layout;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using OrtGmt.SafeTensors;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Artifacts;

/// <summary>
/// `ortgmt artifacts`: turns a forward model (input_ids → logits) into the artifact folder that
/// README.md's "Artifacts" section describes — training graph (parameters as inputs; loss, then one gradient per parameter), eval
/// graph, optimizer and gradient-mask graphs, manifest and initial checkpoint.
/// </summary>
public static class ArtifactGenerator
{
    /// <summary>Generates the artifact folder <paramref name="outDir"/> from the model at <paramref name="forwardPath"/>.</summary>
    public static ArtifactManifest Generate(string forwardPath, string outDir, ArtifactOptions? options = null)
    {
        options ??= new ArtifactOptions();
        var forward = OnnxFile.Load(forwardPath);
        string modelDir = Path.GetDirectoryName(Path.GetFullPath(forwardPath))!;
        var warnings = new List<string>();
        CheckInterface(forward, forwardPath);

        var copies = TiedWeights.FindCopies(forward.Graph, modelDir);
        if (options.Retie && copies.Count > 0)
        {
            TiedWeights.Retie(forward.Graph, copies);
            warnings.AddRange(copies.Select(c => $"re-tied '{c.Duplicate}' to '{c.Original}'{(c.Transposed ? " (transposed)" : "")}: the exporter's constant folding had made it a separate copy"));
        }
        else
        {
            warnings.AddRange(copies.Select(c =>
                $"'{c.Duplicate}' holds the same values as '{c.Original}'{(c.Transposed ? " transposed" : "")}: the exporter's constant folding untied a tied weight, "
                + "so they will be trained as two parameters. Pass --retie to train them as one, or re-export with do_constant_folding=False."));
        }
        warnings.AddRange(TiedWeights.FindSharedUses(forward.Graph));

        var requested = SelectCandidates(forward.Graph, options, warnings);
        var values = requested.ToDictionary(n => n, n => Tensors.ReadFloats(forward.Graph.Initializer.Single(t => t.Name == n), modelDir));

        var (training, parameters) = BuildTrainingGraph(forward, requested, explicitSelection: options.Trainable.Count > 0);
        var eval = BuildEvalGraph(forward, parameters);

        Directory.CreateDirectory(outDir);
        var files = new ArtifactFiles();
        OnnxFile.Save(training, Path.Combine(outDir, files.TrainingModel));
        OnnxFile.Save(eval, Path.Combine(outDir, files.EvalModel));
        OnnxFile.Save(forward, Path.Combine(outDir, files.ForwardModel));

        var manifest = new ArtifactManifest
        {
            Generator = "ortgmt " + ThisAssembly.Version,
            SourceSha256 = Sha256(forwardPath),
            Files = files,
            DataInputs = DataInputsOf(forward.Graph),
            OptionalInputs = InputsWithDefaults(forward.Graph),
            Optimizer = options.Optimizer,
            Vocab = VocabOf(LogitsOutput(forward.Graph)),
            Parameters = Entries(forward.Graph, parameters, options),
            Frozen = forward.Graph.Initializer.Where(t => DataTypes.IsFloat(t.DataType) && !parameters.Contains(t.Name)).Select(t => t.Name).ToArray(),
            Warnings = [.. warnings],
        };
        UpdateStepGraphs.Write(manifest, outDir);
        SafeTensorsFile.Write(Path.Combine(outDir, files.Checkpoint),
            manifest.Parameters.Select(p => SafeTensor.FromFloats(p.Name, p.Shape, values[p.Name])));
        manifest.Save(Path.Combine(outDir, ArtifactManifest.FileName));
        return manifest;
    }

    private static void CheckInterface(ModelProto forward, string path)
    {
        var g = forward.Graph;
        var ids = g.Input.FirstOrDefault(i => i.Name == ArtifactContract.InputIds)
            ?? throw new InvalidFileException(path, $"the model has no input '{ArtifactContract.InputIds}' (inputs: {string.Join(", ", g.Input.Select(i => i.Name))})");
        if (ValueInfos.ElementType(ids) != DataType.Int64)
            throw new InvalidFileException(path, $"input '{ArtifactContract.InputIds}' must be int64, it is {ValueInfos.ElementType(ids)}");
        if (g.Output.Count == 0) throw new InvalidFileException(path, $"the model has no outputs");
        if (g.Input.Any(i => i.Name == ArtifactContract.Labels))
            throw new InvalidFileException(path, $"the model already has an input named '{ArtifactContract.Labels}'");
        // attention_mask may be required: the runners feed it (ones when a batch has none). Any other input needs a default.
        var required = g.Input.Where(i => i.Name is not (ArtifactContract.InputIds or ArtifactContract.AttentionMask) && !HasDefault(g, i.Name)).Select(i => i.Name).ToList();
        if (required.Count > 0)
            throw new InvalidFileException(path, $"inputs other than '{ArtifactContract.InputIds}' and '{ArtifactContract.AttentionMask}' must have defaults; required: {string.Join(", ", required)}");
    }

    /// <summary>What every batch feeds: input_ids, labels, and attention_mask when the model requires it.</summary>
    private static string[] DataInputsOf(GraphProto g) =>
        [ArtifactContract.InputIds, ArtifactContract.Labels,
         .. g.Input.Where(i => i.Name == ArtifactContract.AttentionMask && !HasDefault(g, i.Name)).Select(i => i.Name)];

    /// <summary>Inputs with a default value (an initializer of the same name), fed only when a batch carries them.</summary>
    private static string[] InputsWithDefaults(GraphProto g) =>
        [.. g.Input.Where(i => i.Name != ArtifactContract.InputIds && HasDefault(g, i.Name)).Select(i => i.Name)];

    private static bool HasDefault(GraphProto g, string input) => g.Initializer.Any(t => t.Name == input);

    /// <summary>The logits output: the one named <see cref="ArtifactContract.Logits"/>, else the only output.</summary>
    internal static ValueInfoProto LogitsOutput(GraphProto g) =>
        g.Output.FirstOrDefault(o => o.Name == ArtifactContract.Logits) ?? (g.Output.Count == 1 ? g.Output[0]
            : throw new GraphException($"the model has several outputs and none is named '{ArtifactContract.Logits}': {string.Join(", ", g.Output.Select(o => o.Name))}"));

    private static List<string> SelectCandidates(GraphProto g, ArtifactOptions options, List<string> warnings)
    {
        var inputNames = g.Input.Select(i => i.Name).ToHashSet();
        var floats = g.Initializer.Where(t => DataTypes.IsFloat(t.DataType) && !inputNames.Contains(t.Name)).ToList();
        foreach (var glob in options.Trainable.Concat(options.Frozen))
        {
            if (!floats.Any(t => Globs.Matches(glob, t.Name)))
                throw new ConfigException(options.Trainable.Contains(glob) ? "trainable" : "frozen", $"'{glob}' matches no float initializer of the model");
        }
        var chosen = new List<string>();
        foreach (var t in floats)
        {
            bool wanted = options.Trainable.Count == 0 || options.Trainable.Any(glob => Globs.Matches(glob, t.Name));
            if (!wanted || options.Frozen.Any(glob => Globs.Matches(glob, t.Name))) continue;
            if (Tensors.TypeOf(t) != DataType.Float)
            {
                warnings.Add($"'{t.Name}' is {Tensors.TypeOf(t)}; only float32 parameters are trained, it stays frozen");
                continue;
            }
            chosen.Add(t.Name);
        }
        if (chosen.Count == 0) throw new ConfigException("trainable", "no float32 initializer is left to train");
        return chosen;
    }

    /// <summary>Forward + loss + gradients; returns the graph and the parameters that reach the loss, in order.</summary>
    private static (ModelProto Model, List<string> Parameters) BuildTrainingGraph(ModelProto forward, List<string> requested, bool explicitSelection)
    {
        var (model, g, loss, moved) = WithLoss(forward, requested);
        var graph = model.Graph;
        var result = GradientBuilder.Build(g, loss.Loss, requested);
        if (result.Unreached.Count > 0)
        {
            if (explicitSelection)
                throw new GraphException($"these parameters do not reach the loss and cannot be trained: {string.Join(", ", result.Unreached)}");
            foreach (var name in result.Unreached) InputToInitializer(graph, moved[name]);
        }
        var parameters = requested.Where(result.Gradients.ContainsKey).ToList();
        graph.Output.Clear();
        g.Output(loss.Loss, ArtifactContract.Loss, DataType.Float);
        foreach (var p in parameters)
        {
            var dims = moved[p].Dims.Select(d => (object?)d).ToArray();
            g.Output(result.Gradients[p], ArtifactContract.GradientOf(p), DataType.Float, dims);
        }
        return (model, parameters);
    }

    private static ModelProto BuildEvalGraph(ModelProto forward, List<string> parameters)
    {
        var (model, g, loss, _) = WithLoss(forward, parameters);
        model.Graph.Output.Clear();
        g.Output(loss.Loss, ArtifactContract.Loss, DataType.Float);
        g.Output(loss.LossSum, ArtifactContract.LossSum, DataType.Float);
        g.Output(loss.TokenCount, ArtifactContract.TokenCount, DataType.Float);
        return model;
    }

    /// <summary>A copy of the forward model with <paramref name="parameters"/> as graph inputs and the loss appended.</summary>
    private static (ModelProto Model, GraphBuilder Builder, CausalLmLoss.Outputs Loss, Dictionary<string, TensorProto> Moved) WithLoss(
        ModelProto forward, IEnumerable<string> parameters)
    {
        var model = forward.Clone();
        var logits = LogitsOutput(model.Graph);
        var moved = ParametersToInputs(model.Graph, parameters);
        var g = new GraphBuilder(model.Graph, OpsetOf(model));
        return (model, g, CausalLmLoss.Append(g, logits.Name, VocabOf(logits)), moved);
    }

    /// <summary>Moves the named initializers to graph inputs (so the session binds them to flat-buffer views).</summary>
    private static Dictionary<string, TensorProto> ParametersToInputs(GraphProto graph, IEnumerable<string> names)
    {
        var moved = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var t = graph.Initializer.Single(x => x.Name == name);
            graph.Initializer.Remove(t);
            graph.Input.Add(ValueInfos.Tensor(name, Tensors.TypeOf(t), t.Dims.Select(d => (object?)d)));
            moved[name] = t;
        }
        return moved;
    }

    private static void InputToInitializer(GraphProto graph, TensorProto t)
    {
        graph.Input.Remove(graph.Input.Single(i => i.Name == t.Name));
        graph.Initializer.Add(t);
    }

    private static int? VocabOf(ValueInfoProto logits)
    {
        var dims = logits.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: > 0 } && dims[^1].HasDimValue ? (int)dims[^1].DimValue : null;
    }

    private static int OpsetOf(ModelProto m) =>
        (int)(m.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? GraphBuilder.DefaultOpset);

    private static ParameterEntry[] Entries(GraphProto forward, List<string> parameters, ArtifactOptions options)
    {
        var naming = new ParameterNaming(options.CategoryRules);
        var entries = new List<ParameterEntry>();
        long offset = 0;
        foreach (var name in parameters)
        {
            var t = forward.Initializer.Single(x => x.Name == name);
            var consumers = forward.Node.Where(n => n.Input.Contains(name)).Select(n => n.Name).ToList();
            long numel = Tensors.ElementCount(t);
            entries.Add(new ParameterEntry
            {
                Name = name,
                Shape = [.. t.Dims],
                Offset = offset,
                Numel = numel,
                Category = naming.Category(name, consumers),
                Layer = ParameterNaming.Layer(name, consumers),
                Grad = ArtifactContract.GradientOf(name),
            });
            offset += numel;
        }
        return [.. entries];
    }

    private static string Sha256(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
