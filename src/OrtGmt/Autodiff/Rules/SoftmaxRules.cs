using OrtGmt.Graph;

namespace OrtGmt.Autodiff.Rules;

/// <summary>Softmax and LogSoftmax over one axis (opset 13+ semantics).</summary>
internal static class SoftmaxRules
{
    public static void Register(IDictionary<string, GradientRule> r)
    {
        // y = softmax(x): dx = y·(dy − Σₐ dy·y)
        r["Softmax"] = c =>
        {
            var g = c.G;
            string y = c.Out(0);
            var dot = g.ReduceSum(g.Mul(c.Dy, y), [c.Node.GetInt("axis", -1)]);
            return [g.Mul(y, g.Sub(c.Dy, dot))];
        };

        // y = log softmax(x): dx = dy − eʸ·Σₐ dy
        r["LogSoftmax"] = c =>
        {
            var g = c.G;
            var total = g.ReduceSum(c.Dy, [c.Node.GetInt("axis", -1)]);
            return [g.Sub(c.Dy, g.Mul(g.Exp(c.Out(0)), total))];
        };
    }
}
