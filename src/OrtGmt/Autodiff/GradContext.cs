using OrtGmt.Graph;
using DataType = OrtGmt.Onnx.Proto.TensorProto.Types.DataType;

namespace OrtGmt.Autodiff;

/// <summary>What gradient rules share: the builder they append to, the forward graph's types, and common emitters.</summary>
internal sealed class GradContext(GraphBuilder g, TypeInference types)
{
    public GraphBuilder G { get; } = g;

    public TypeInference Types { get; } = types;

    /// <summary>A scalar constant of the element type of <paramref name="like"/> (CastLike when that type is unknown).</summary>
    public string ScalarLike(double value, string like)
    {
        var elem = Types.TypeOf(like).Elem;
        return elem switch
        {
            DataType.Float or DataType.Double => G.Scalar(value, elem),
            DataType.Float16 or DataType.Bfloat16 => G.Cast(G.FloatScalar((float)value), elem),
            _ => G.CastLike(G.FloatScalar((float)value), like),
        };
    }

    /// <summary>Zeros with the shape and type of <paramref name="like"/>.</summary>
    public string ZerosLike(string like) => G.Expand(ScalarLike(0, like), G.Shape(like));

    /// <summary>
    /// Undoes numpy broadcasting: sums <paramref name="grad"/> (shaped like <paramref name="gradShape"/>) down to the
    /// shape of <paramref name="target"/>. Free when the shapes are known equal, static axes where the shapes settle
    /// them, else axes computed at run time from Shape.
    /// </summary>
    public string ReduceTo(string grad, TensorType gradShape, string target) => ReduceTo(grad, gradShape, target, Types.TypeOf(target));

    /// <summary>As above, with the target's type given (for values made by rules, which inference has not seen).</summary>
    public string ReduceTo(string grad, TensorType gradShape, string target, TensorType t)
    {
        if (gradShape.SameShape(t)) return grad;
        if (StaticReduceAxes(gradShape.Dims, t.Dims) is { } plan)
        {
            if (plan.Axes.Length == 0) return grad;
            if (plan.Axes.Length == plan.Lead) return G.ReduceSum(grad, plan.Axes, keepDims: false);
            var reduced = G.ReduceSum(grad, plan.Axes, keepDims: true);
            return plan.Lead == 0 ? reduced : G.Squeeze(reduced, Enumerable.Range(0, plan.Lead).Select(i => (long)i).ToArray());
        }
        var gradDims = G.Shape(grad);
        var targetDims = G.Shape(target);
        var padCount = G.Unsqueeze(G.Sub(G.Size(gradDims), G.Size(targetDims)), 0);
        var padded = G.Concat(0, G.ConstantOfShape(padCount, 1, DataType.Int64), targetDims);
        var axes = G.Reshape(G.NonZero(G.Equal(padded, G.Ints(1))), -1);
        return G.Reshape(G.ReduceSum(grad, axes, keepDims: true, noopWithEmptyAxes: true), targetDims);
    }

    private static (long[] Axes, int Lead)? StaticReduceAxes(Dim[]? from, Dim[]? to)
    {
        if (from is null || to is null || from.Length < to.Length) return null;
        int lead = from.Length - to.Length;
        var axes = Enumerable.Range(0, lead).Select(i => (long)i).ToList();
        for (int j = 0; j < to.Length; j++)
        {
            if (from[lead + j].SameAs(to[j])) continue;
            if (!to[j].IsOne) return null;
            axes.Add(lead + j);
        }
        return ([.. axes], lead);
    }

    /// <summary>The size of axis <paramref name="axis"/> of <paramref name="x"/> as a 1-element int64 tensor.</summary>
    public string DimAt(string x, long axis)
    {
        var dims = Types.TypeOf(x).Dims;
        long a = axis < 0 && dims is not null ? axis + dims.Length : axis;
        if (dims is not null && a >= 0 && a < dims.Length && dims[a].Value is { } v) return G.Ints(v);
        return a == -1 ? G.Shape(x, -1) : G.Shape(x, a, a + 1);
    }
}

/// <summary>A rule cannot handle this particular use of its op (an attribute value, an unknown rank...).</summary>
internal sealed class RuleLimitationException(string message) : Exception(message);
