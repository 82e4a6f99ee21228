namespace OrtGmt.Tests.Autodiff;

public class MatMulGradientTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new long[] { 3, 4 }, new long[] { 4, 2 }).SetName("MatMul_2Dx2D");
        yield return new TestCaseData(new long[] { 2, 3, 4 }, new long[] { 4, 2 }).SetName("MatMul_3Dx2D_weight");
        yield return new TestCaseData(new long[] { 2, 3, 4 }, new long[] { 2, 4, 2 }).SetName("MatMul_batched");
        yield return new TestCaseData(new long[] { 2, 1, 3, 4 }, new long[] { 3, 4, 2 }).SetName("MatMul_broadcast_batch");
        yield return new TestCaseData(new long[] { 3, 4 }, new long[] { 2, 4, 2 }).SetName("MatMul_2Dx3D");
        yield return new TestCaseData(new long[] { 4 }, new long[] { 4, 2 }).SetName("MatMul_vector_left");
        yield return new TestCaseData(new long[] { 2, 3, 4 }, new long[] { 4 }).SetName("MatMul_vector_right");
        yield return new TestCaseData(new long[] { 4 }, new long[] { 4 }).SetName("MatMul_dot");
        yield return new TestCaseData(new long[] { 5 }, new long[] { 2, 5, 3 }).SetName("MatMul_vector_left_batched");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatMulMatchesFiniteDifferences(long[] sa, long[] sb)
    {
        var c = new GradCheck(sa.Length * 10 + sb.Length);
        var a = c.Double("a", sa);
        var b = c.Double("b", sb);
        c.Output(c.G.MatMul(a, b));
        c.Check(Tolerance.Float64, a, b);
    }

    [TestCaseSource(nameof(Cases))]
    public void MatMulWithUnknownDimsMatchesFiniteDifferences(long[] sa, long[] sb)
    {
        var c = new GradCheck(sa.Length * 10 + sb.Length + 1);
        var a = c.Double("a", sa, declared: sa.Select(_ => (object?)null).ToArray());
        var b = c.Double("b", sb, declared: sb.Select((_, i) => (object?)("b" + i)).ToArray());
        c.Output(c.G.MatMul(a, b));
        c.Check(Tolerance.Float64, a, b);
    }

    [TestCase(false, false, 1f, 1f, new long[] { 2 })]
    [TestCase(true, false, 0.5f, 2f, new long[] { 3, 1 })]
    [TestCase(false, true, 1.5f, 1f, new long[] { 3, 2 })]
    [TestCase(true, true, -1f, 0.25f, new long[] { 1 })]
    [TestCase(false, false, 1f, 1f, null)]
    public void GemmMatchesFiniteDifferences(bool transA, bool transB, float alpha, float beta, long[]? cShape)
    {
        const long M = 3, K = 4, N = 2;
        var c = new GradCheck(transA ? 1 : 2);
        var a = c.Double("a", transA ? [K, M] : [M, K]);
        var b = c.Double("b", transB ? [N, K] : [K, N]);
        var bias = cShape is null ? null : c.Double("c", cShape);
        c.Output(c.G.Gemm(a, b, bias, alpha, beta, transA, transB));
        c.Check(Tolerance.Float64, bias is null ? [a, b] : [a, b, bias]);
    }
}
