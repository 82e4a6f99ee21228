namespace OrtGmt.Tests.Optimizers;

/// <summary>The optimizers' formulas written out in double, entry by entry, with a keep mask.</summary>
internal sealed class OptimizerReference(float[] start)
{
    public readonly double[] P = start.Select(x => (double)x).ToArray();
    public readonly double[] M = new double[start.Length];
    public readonly double[] V = new double[start.Length];
    public long T;

    public void AdamW(float[] g, bool[]? keep, bool freeze, double lr, double wd, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8)
    {
        T++;
        for (int i = 0; i < P.Length; i++)
        {
            bool k = keep?[i] ?? true;
            if (!k && freeze) continue;
            double gi = k ? g[i] : 0;
            P[i] -= lr * wd * P[i];
            M[i] = b1 * M[i] + (1 - b1) * gi;
            V[i] = b2 * V[i] + (1 - b2) * gi * gi;
            double mHat = M[i] / (1 - Math.Pow(b1, T));
            double vHat = V[i] / (1 - Math.Pow(b2, T));
            P[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }

    public void Sgd(float[] g, bool[]? keep, bool freeze, double lr, double wd, double mu)
    {
        T++;
        for (int i = 0; i < P.Length; i++)
        {
            bool k = keep?[i] ?? true;
            if (!k && freeze) continue;
            double gi = (k ? g[i] : 0) + wd * P[i];
            M[i] = T == 1 ? gi : mu * M[i] + gi;
            P[i] -= lr * M[i];
        }
    }

    public static void AssertClose(float[] actual, double[] expected, double rel, string what)
    {
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(rel * Math.Max(1e-3, Math.Abs(expected[i]))), $"{what}[{i}]");
    }
}
