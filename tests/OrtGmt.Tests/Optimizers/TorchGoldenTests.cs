using OrtGmt.Optimizers;

namespace OrtGmt.Tests.Optimizers;

/// <summary>Three steps of each optimizer against torch.optim (values from tools/golden/optimizers_torch.py).</summary>
public class TorchGoldenTests
{
    private static readonly float[] Start = [0.5f, -1.25f, 3.0f, 0.0f, 1e-3f, -2.0f, 0.75f];

    private static readonly float[][] Grads =
    [
        [0.1f, -0.2f, 0.0f, 1.5f, -1e-4f, 0.3f, -0.05f],
        [-0.3f, 0.25f, 0.5f, -0.5f, 2e-4f, 0.0f, 0.05f],
        [0.05f, 0.05f, -1.0f, 0.2f, -3e-4f, 0.1f, 0.0f],
    ];

    private static readonly double[] Lrs = [1e-2, 5e-3, 2e-3];

    private static float[] Run(IFlatOptimizer opt)
    {
        var p = (float[])Start.Clone();
        for (int s = 0; s < Grads.Length; s++) opt.Step(p, Grads[s], Lrs[s]);
        return p;
    }

    [Test]
    public void AdamWMatchesTorch()
    {
        float[] torch = [0.492182881f, -1.2391423f, 2.99181104f, -0.0127680162f, 0.00984671712f, -2.01133156f, 0.758374155f];
        var p = Run(new AdamW(7, new AdamWOptions { WeightDecay = 0.1 }));
        for (int i = 0; i < 7; i++) Assert.That(p[i], Is.EqualTo(torch[i]).Within(2e-7 * Math.Max(1, Math.Abs(torch[i]))), $"entry {i}");
    }

    [Test]
    public void SgdMatchesTorch()
    {
        float[] torch = [0.499083191f, -1.24546397f, 2.99112773f, -0.0211659502f, 0.000998360338f, -2.00005126f, 0.748597383f];
        var p = Run(new Sgd(7, new SgdOptions { Momentum = 0.9, WeightDecay = 0.1 }));
        for (int i = 0; i < 7; i++) Assert.That(p[i], Is.EqualTo(torch[i]).Within(2e-7 * Math.Max(1, Math.Abs(torch[i]))), $"entry {i}");
    }
}
