namespace OrtGmt.Autodiff.Rules;

/// <summary>Broadcasting arithmetic: gradients are summed back over the axes broadcasting added.</summary>
internal static class ArithmeticRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = a + b: da = dy, db = dy
        r["Add"] = c => [c.ForBroadcast(0, () => c.Dy), c.ForBroadcast(1, () => c.Dy)];

        // y = a − b: da = dy, db = −dy
        r["Sub"] = c => [c.ForBroadcast(0, () => c.Dy), c.ForBroadcast(1, () => c.G.Neg(c.Dy))];

        // y = a·b: da = dy·b, db = dy·a
        r["Mul"] = c => [c.ForBroadcast(0, () => c.G.Mul(c.Dy, c.In(1))), c.ForBroadcast(1, () => c.G.Mul(c.Dy, c.In(0)))];

        // y = a/b: da = dy/b, db = −dy·y/b
        r["Div"] = c =>
        [
            c.ForBroadcast(0, () => c.G.Div(c.Dy, c.In(1))),
            c.ForBroadcast(1, () => c.G.Neg(c.G.Div(c.G.Mul(c.Dy, c.Out(0)), c.In(1)))),
        ];

        // y = −x: dx = −dy
        r["Neg"] = c => [c.G.Neg(c.Dy)];

        // y = aᵇ: da = dy·b·aᵇ⁻¹, db = dy·y·ln a
        r["Pow"] = Pow;

        // y = Σᵢ xᵢ: dxᵢ = dy
        r["Sum"] = c => Enumerable.Range(0, c.Node.Input.Count).Select(i => c.ForBroadcast(i, () => c.Dy)).ToArray();

        // y = (1/n)·Σᵢ xᵢ: dxᵢ = dy/n
        r["Mean"] = c => Enumerable.Range(0, c.Node.Input.Count)
            .Select(i => c.ForBroadcast(i, () => c.G.Div(c.Dy, c.Scalar(c.Node.Input.Count, c.Out(0))))).ToArray();

        // y = max(xᵢ) (min likewise): dxᵢ = dy where xᵢ = y (every tied input gets the full gradient)
        r["Max"] = Extremum;
        r["Min"] = Extremum;
    }

    private static string?[] Pow(RuleCall c)
    {
        var g = c.G;
        string a = c.In(0), b = c.In(1);
        string?[] grads = new string?[2];
        grads[0] = c.ForBroadcast(0, () =>
        {
            var k = c.Ctx.Types.ConstantOf(b) is { } t && Onnx.Tensors.ElementCount(t) == 1 ? ScalarValue(t) : null;
            if (k == 1) return c.Dy;
            if (k == 2) return g.Mul(c.Dy, g.Mul(a, c.Scalar(2, a)));
            string exponent = c.TypeOf(b).Elem == c.TypeOf(a).Elem && c.TypeOf(a).Elem != default ? b : g.CastLike(b, a);
            return g.Mul(c.Dy, g.Mul(exponent, g.Pow(a, g.Sub(exponent, c.Scalar(1, a)))));
        });
        grads[1] = c.For(1, () =>
        {
            if (c.TypeOf(b).Elem != c.TypeOf(a).Elem)
                throw RuleCall.Limit("the exponent needs a gradient but its type differs from the base's");
            return c.Ctx.ReduceTo(g.Mul(c.Dy, g.Mul(c.Out(0), g.Log(a))), c.TypeOf(c.Out(0)), b);
        });
        return grads;
    }

    private static double? ScalarValue(Onnx.Proto.TensorProto t) => Onnx.Tensors.TypeOf(t) switch
    {
        Onnx.Proto.TensorProto.Types.DataType.Float => Onnx.Tensors.ReadFloats(t)[0],
        Onnx.Proto.TensorProto.Types.DataType.Double => Onnx.Tensors.ReadDoubles(t)[0],
        Onnx.Proto.TensorProto.Types.DataType.Int64 => Onnx.Tensors.ReadInt64s(t)[0],
        _ => null,
    };

    private static string?[] Extremum(RuleCall c) => Enumerable.Range(0, c.Node.Input.Count)
        .Select(i => c.ForBroadcast(i, () => c.G.Where(c.G.Equal(c.In(i), c.Out(0)), c.Dy, c.Scalar(0, c.Out(0))))).ToArray();
}
