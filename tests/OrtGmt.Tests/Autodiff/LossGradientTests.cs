using OrtGmt.Graph;

namespace OrtGmt.Tests.Autodiff;

public class LossGradientTests
{
    private const long IgnoreIndex = -100;

    [TestCase("mean", false, false)]
    [TestCase("mean", true, false)]
    [TestCase("sum", true, false)]
    [TestCase("none", true, false)]
    [TestCase("mean", true, true)]
    [TestCase("sum", false, true)]
    public void SoftmaxCrossEntropyLossMatchesFiniteDifferences(string reduction, bool spatial, bool weighted)
    {
        var c = new GradCheck(reduction.Length + (spatial ? 1 : 0));
        var g = c.G;
        long n = 3, classes = 4, d = 2;
        var scores = c.Double("scores", spatial ? [n, classes, d] : [n, classes], -2, 2, declared: spatial ? ["n", classes, "d"] : ["n", classes]);
        long[] labelValues = spatial ? [0, 3, IgnoreIndex, 1, 2, 2] : [1, IgnoreIndex, 3];
        var labels = c.Long("labels", spatial ? [n, d] : [n], labelValues, declared: spatial ? ["n", "d"] : ["n"]);
        var inputs = new List<string> { scores, labels };
        if (weighted) inputs.Add(g.Constant(OrtGmt.Onnx.Tensors.FromDoubles("w", [classes], [0.5, 1.0, 2.0, 1.5])));
        var loss = g.Node("SoftmaxCrossEntropyLoss", inputs, 1, Attr.String("reduction", reduction), Attr.Int("ignore_index", IgnoreIndex))[0];
        c.Output(loss);
        c.Check(Tolerance.Float64, scores);
    }

    [Test]
    public void SoftmaxCrossEntropyLossWithLogProbUsedDownstream()
    {
        var c = new GradCheck(3);
        var scores = c.Double("scores", [3, 5], -2, 2);
        var labels = c.Long("labels", [3], [4, 0, 2]);
        var outs = c.G.Node("SoftmaxCrossEntropyLoss", [scores, labels], 2);
        c.Output(outs[0]);
        c.Output(outs[1]);
        c.Check(Tolerance.Float64, scores);
    }
}
