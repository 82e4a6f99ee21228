using OrtGmt.Graph;
using OrtGmt.Onnx;
using OrtGmt.Onnx.Proto;

namespace OrtGmt.Artifacts;

/// <summary>
/// Exporter quirks around shared weights. PyTorch's constant folding turns a tied weight used
/// through <c>.t()</c> into a second initializer holding a transposed copy, which silently unties
/// it; without folding the one initializer feeds both a Gather and a Transpose. Both shapes are
/// found here, reported, and the first can be re-tied.
/// </summary>
public static class TiedWeights
{
    /// <summary>A float initializer that holds the same values as another (transposed when <see cref="Transposed"/>).</summary>
    public sealed record Copy(string Original, string Duplicate, bool Transposed);

    /// <summary>Pairs of 2-D float initializers with identical values, directly or transposed.</summary>
    public static IReadOnlyList<Copy> FindCopies(GraphProto graph, string modelDirectory)
    {
        var candidates = graph.Initializer
            .Where(t => Tensors.TypeOf(t) == TensorProto.Types.DataType.Float && t.Dims.Count == 2 && t.Dims[0] > 1 && t.Dims[1] > 1)
            .Select(t => (Tensor: t, Values: Tensors.ReadFloats(t, modelDirectory)))
            .Where(c => c.Values.Any(v => v != c.Values[0]))
            .ToList();
        var copies = new List<Copy>();
        for (int i = 0; i < candidates.Count; i++)
        {
            for (int j = i + 1; j < candidates.Count; j++)
            {
                var (a, b) = (candidates[i], candidates[j]);
                if (a.Values.Length != b.Values.Length) continue;
                bool transposed;
                if (a.Tensor.Dims.SequenceEqual(b.Tensor.Dims) && a.Values.AsSpan().SequenceEqual(b.Values)) transposed = false;
                else if (a.Tensor.Dims[0] == b.Tensor.Dims[1] && a.Tensor.Dims[1] == b.Tensor.Dims[0] && IsTranspose(a.Values, b.Values, (int)a.Tensor.Dims[0], (int)a.Tensor.Dims[1])) transposed = true;
                else continue;
                // The exporter's made-up name (onnx::...) marks the copy; the module path marks the original.
                bool aIsCopy = a.Tensor.Name.StartsWith("onnx::", StringComparison.Ordinal) && !b.Tensor.Name.StartsWith("onnx::", StringComparison.Ordinal);
                copies.Add(aIsCopy ? new Copy(b.Tensor.Name, a.Tensor.Name, transposed) : new Copy(a.Tensor.Name, b.Tensor.Name, transposed));
            }
        }
        return copies;
    }

    private static bool IsTranspose(float[] a, float[] b, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                if (a[r * cols + c] != b[c * rows + r]) return false;
        return true;
    }

    /// <summary>Float initializers consumed by more than one node, directly or through a Transpose (a tie kept by the exporter).</summary>
    public static IReadOnlyList<string> FindSharedUses(GraphProto graph)
    {
        var floats = graph.Initializer.Where(t => DataTypes.IsFloat(t.DataType)).Select(t => t.Name).ToHashSet();
        var notes = new List<string>();
        foreach (var name in floats)
        {
            var consumers = graph.Node.Where(n => n.Input.Contains(name)).ToList();
            var uses = new List<string>();
            foreach (var n in consumers)
            {
                if (n.OpType == "Transpose")
                    uses.AddRange(graph.Node.Where(m => m.Input.Contains(n.Output[0])).Select(m => $"{m.OpType} (through Transpose)"));
                else uses.Add(n.OpType);
            }
            if (uses.Count > 1)
                notes.Add($"'{name}' is shared by {string.Join(", ", uses)}: one parameter, its gradient is the sum of all uses");
        }
        return notes;
    }

    /// <summary>Replaces each duplicate initializer by a Transpose (or Identity) of its original, restoring the tie.</summary>
    public static void Retie(GraphProto graph, IEnumerable<Copy> copies)
    {
        var g = new GraphBuilder(graph);
        foreach (var copy in copies)
        {
            var dup = graph.Initializer.Single(t => t.Name == copy.Duplicate);
            graph.Initializer.Remove(dup);
            var node = new NodeProto { OpType = copy.Transposed ? "Transpose" : "Identity", Name = g.UniqueName("retie") };
            node.Input.Add(copy.Original);
            node.Output.Add(copy.Duplicate);
            if (copy.Transposed) node.Attribute.Add(Attr.Ints("perm", 1, 0));
            graph.Node.Insert(0, node);
        }
    }
}
