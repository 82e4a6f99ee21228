using OrtGmt.Autodiff.Rules;
using OrtGmt.Errors;
using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Autodiff;

/// <summary>The outcome of gradient generation.</summary>
/// <param name="Gradients">Each reached parameter's name mapped to the name of its gradient value (same shape and type).</param>
/// <param name="Unreached">Parameters the loss does not depend on (no entry in <paramref name="Gradients"/>).</param>
public sealed record GradientResult(IReadOnlyDictionary<string, string> Gradients, IReadOnlyList<string> Unreached);

/// <summary>
/// Reverse-mode automatic differentiation over an ONNX graph. The emitted gradient nodes use standard
/// ONNX ops (default domain) only and keep every dimension dynamic.
/// </summary>
public static class GradientBuilder
{
    // Gradient values are named after their parameter with this suffix (made unique if taken); the
    // artifact generator names the graph outputs itself.
    private const string GradientSuffix = "_grad";

    /// <summary>
    /// Appends to <c>g.Graph</c> the nodes computing d(<paramref name="loss"/>)/d(p) for every p in
    /// <paramref name="parameters"/> (graph inputs or initializers of float type). A parameter used several
    /// times gets the sum of its contributions.
    /// </summary>
    /// <exception cref="UnsupportedOperatorException">A node on a parameter→loss path has no gradient rule.</exception>
    /// <exception cref="GraphException">The loss or a parameter is missing or not a float value.</exception>
    public static GradientResult Build(GraphBuilder g, string loss, IReadOnlyList<string> parameters)
    {
        var nodes = g.Graph.Node.ToList();
        var types = new TypeInference(g.Graph);
        var wanted = parameters.Distinct(StringComparer.Ordinal).ToList();
        Validate(g.Graph, nodes, types, loss, wanted);
        var paths = new GraphPaths(nodes, types, loss, wanted);
        foreach (var node in paths.Nodes)
        {
            if (!IsDefaultDomain(node) || !GradientRules.All.ContainsKey(node.OpType))
                throw Unsupported(node, nodes, types, wanted, null);
        }

        // Rules append nodes and may expose optional outputs of forward nodes; undo both if one refuses.
        var forwardOutputs = nodes.Select(n => n.Output.ToArray()).ToList();
        try
        {
            return Emit(g, loss, wanted, nodes, types, paths);
        }
        catch (UnsupportedOperatorException)
        {
            while (g.Graph.Node.Count > nodes.Count) g.Graph.Node.RemoveAt(g.Graph.Node.Count - 1);
            for (int i = 0; i < nodes.Count; i++)
            {
                nodes[i].Output.Clear();
                nodes[i].Output.AddRange(forwardOutputs[i]);
            }
            throw;
        }
    }

    private static GradientResult Emit(GraphBuilder g, string loss, List<string> wanted, List<NodeProto> nodes, TypeInference types, GraphPaths paths)
    {
        var ctx = new GradContext(g, types);
        var pending = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [loss] = [Seed(ctx, loss)] };
        for (int k = paths.Nodes.Count - 1; k >= 0; k--)
        {
            var node = paths.Nodes[k];
            var outGrads = node.Output.Select(o => Total(g, pending, o)).ToArray();
            if (outGrads.All(x => x is null)) continue;
            var wants = node.Input.Select(i => i.Length > 0 && paths.Active.Contains(i)).ToArray();
            string?[] inGrads;
            using (g.Scope("grad/" + Label(node)))
            {
                try { inGrads = GradientRules.All[node.OpType](new RuleCall(ctx, node, outGrads, wants)); }
                catch (RuleLimitationException e) { throw Unsupported(node, nodes, types, wanted, e.Message); }
            }
            for (int i = 0; i < wants.Length && i < inGrads.Length; i++)
            {
                if (!wants[i] || inGrads[i] is not { } gi) continue;
                if (!pending.TryGetValue(node.Input[i], out var list)) pending[node.Input[i]] = list = [];
                list.Add(gi);
            }
        }

        var gradients = new Dictionary<string, string>(StringComparer.Ordinal);
        var unreached = new List<string>();
        foreach (var p in wanted)
        {
            if (!paths.Active.Contains(p)) { unreached.Add(p); continue; }
            string total;
            using (g.Scope("grad/" + p)) total = Total(g, pending, p) ?? ctx.ZerosLike(p);
            string name = g.UniqueName(p + GradientSuffix);
            g.AddNode("Identity", [total], [name], name: "grad/" + p + "/Result");
            gradients[p] = name;
        }
        return new GradientResult(gradients, unreached);
    }

    private static bool IsDefaultDomain(NodeProto n) => n.Domain is "" or "ai.onnx";

    private static string Label(NodeProto n) => n.Name.Length > 0 ? n.Name : n.OpType + "(" + n.Output.FirstOrDefault() + ")";

    // The summed gradient of a value; called once all its consumers have contributed.
    private static string? Total(GraphBuilder g, Dictionary<string, List<string>> pending, string value)
    {
        if (!pending.TryGetValue(value, out var list) || list.Count == 0) return null;
        if (list.Count > 1)
        {
            string sum = g.Sum([.. list]);
            list.Clear();
            list.Add(sum);
        }
        return list[0];
    }

    private static string Seed(GradContext ctx, string loss)
    {
        string one = ctx.ScalarLike(1, loss);
        return ctx.Types.TypeOf(loss).Rank == 0 ? one : ctx.G.Expand(one, ctx.G.Shape(loss));
    }

    private static void Validate(GraphProto graph, List<NodeProto> nodes, TypeInference types, string loss, List<string> parameters)
    {
        var sources = new HashSet<string>(graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name)), StringComparer.Ordinal);
        bool lossExists = sources.Contains(loss) || nodes.Any(n => n.Output.Contains(loss));
        if (!lossExists) throw new GraphException($"loss '{loss}' is not a value of graph '{graph.Name}'");
        var lossType = types.TypeOf(loss);
        if (lossType.Elem != default && !DataTypes.IsFloat(lossType.Elem))
            throw new GraphException($"loss '{loss}' is {lossType.Elem}; it must be a float tensor");
        if (lossType.Dims is { } dims && dims.Any(d => d.Value is { } v && v != 1))
            throw new GraphException($"loss '{loss}' has shape {lossType}; it must be a scalar");
        foreach (var p in parameters)
        {
            if (!sources.Contains(p)) throw new GraphException($"parameter '{p}' is neither a graph input nor an initializer of graph '{graph.Name}'");
            var t = types.TypeOf(p).Elem;
            if (!DataTypes.IsFloat(t)) throw new GraphException($"parameter '{p}' is {t}; only float tensors can be trained");
        }
    }

    private static UnsupportedOperatorException Unsupported(NodeProto node, List<NodeProto> nodes, TypeInference types, List<string> parameters, string? detail)
    {
        var inputs = GraphPaths.AllInputs(node).ToHashSet(StringComparer.Ordinal);
        var behind = parameters.Where(p => GraphPaths.Forward(nodes, types, [p]).Overlaps(inputs)).ToList();
        string op = IsDefaultDomain(node) ? node.OpType : node.Domain + "." + node.OpType;
        return new UnsupportedOperatorException(op, Label(node), behind, detail);
    }
}
