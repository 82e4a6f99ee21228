namespace OrtGmt.Tests.Autodiff;

public class SoftmaxGradientTests
{
    [TestCase("Softmax", -1)]
    [TestCase("Softmax", 0)]
    [TestCase("Softmax", 1)]
    [TestCase("LogSoftmax", -1)]
    [TestCase("LogSoftmax", 1)]
    [TestCase("LogSoftmax", -3)]
    public void SoftmaxFamilyMatchesFiniteDifferencesOnAnyAxis(string op, long axis)
    {
        var c = new GradCheck((int)axis + 7);
        var x = c.Double("x", [c.Dim(2, 3), c.Dim(2, 4), c.Dim(2, 4)], -2, 2);
        c.Output(op == "Softmax" ? c.G.Softmax(x, axis) : c.G.LogSoftmax(x, axis));
        c.Check(Tolerance.Float64, x);
    }
}
