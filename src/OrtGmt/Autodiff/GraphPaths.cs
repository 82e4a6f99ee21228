using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff;

/// <summary>
/// The part of a graph gradients flow through: values reachable from the parameters through float
/// values (integer, bool and shape values carry no gradient) that the loss also depends on.
/// </summary>
internal sealed class GraphPaths
{
    /// <summary>Values on a parameter→loss path.</summary>
    public HashSet<string> Active { get; }

    /// <summary>Nodes with an active output, in graph (topological) order.</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }

    public GraphPaths(IReadOnlyList<NodeProto> nodes, TypeInference types, string loss, IEnumerable<string> parameters)
    {
        var forward = Forward(nodes, types, parameters);
        // Walk back from the loss through forward-reached values only, so that a parameter (or a float value)
        // whose only way to the loss is an integer one (Shape, a mask) is not on a path.
        var active = new HashSet<string>(StringComparer.Ordinal);
        if (forward.Contains(loss)) active.Add(loss);
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (!nodes[i].Output.Any(active.Contains)) continue;
            foreach (var input in AllInputs(nodes[i]))
                if (forward.Contains(input)) active.Add(input);
        }
        Active = active;
        Nodes = nodes.Where(n => n.Output.Any(Active.Contains)).ToList();
    }

    /// <summary>Values reachable from <paramref name="sources"/> through float (or untyped) values.</summary>
    public static HashSet<string> Forward(IReadOnlyList<NodeProto> nodes, TypeInference types, IEnumerable<string> sources)
    {
        var reached = new HashSet<string>(sources, StringComparer.Ordinal);
        foreach (var n in nodes)
        {
            if (!AllInputs(n).Any(reached.Contains)) continue;
            foreach (var o in n.Output)
            {
                var elem = types.TypeOf(o).Elem;
                if (o.Length > 0 && (elem == DataType.Undefined || DataTypes.IsFloat(elem))) reached.Add(o);
            }
        }
        return reached;
    }

    /// <summary>A node's inputs plus the outer values its subgraphs (Loop, If, Scan bodies) use.</summary>
    public static IEnumerable<string> AllInputs(NodeProto node)
    {
        foreach (var i in node.Input)
            if (i.Length > 0) yield return i;
        foreach (var a in node.Attribute)
        {
            if (a.G is not null)
                foreach (var v in OuterValues(a.G)) yield return v;
            foreach (var g in a.Graphs)
                foreach (var v in OuterValues(g)) yield return v;
        }
    }

    private static IEnumerable<string> OuterValues(GraphProto g)
    {
        var defined = new HashSet<string>(g.Input.Select(i => i.Name).Concat(g.Initializer.Select(t => t.Name)), StringComparer.Ordinal);
        foreach (var n in g.Node)
        {
            foreach (var i in AllInputs(n))
                if (!defined.Contains(i)) yield return i;
            foreach (var o in n.Output) defined.Add(o);
        }
    }
}
