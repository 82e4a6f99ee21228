using OrtGmt.Data.Batching;
using OrtGmt.SafeTensors;
using OrtGmt.Tests.Artifacts;

namespace OrtGmt.Tests.Training;

/// <summary>`ortgmt step` against one masked SGD step computed here from the gradients `ortgmt grad` writes.</summary>
public class StepCommandTests
{
    [TestCase("tensor", "freeze", 0.3)]
    [TestCase("global", "freeze", 0.5)]
    [TestCase("tensor", "zero-grad", 0.9)]
    public void OneGmtStepMatchesAnIndependentMaskedSgdStep(string scope, string mode, double ratio)
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string artifacts = TinyArtifacts.Create(dir);
            string batch = Path.Combine(dir, "batch.safetensors");
            BatchFile.Write(batch, TinyArtifacts.Batch(7));
            string grads = Path.Combine(dir, "grads.safetensors");
            string stepped = Path.Combine(dir, "stepped.safetensors");
            const double lr = 0.5;
            Assert.That(GradParityTests.Run("grad", "--artifacts", artifacts, "--batch", batch, "--out", grads, "--threads", "1"), Is.EqualTo(0));
            Assert.That(GradParityTests.Run("step", "--artifacts", artifacts, "--batch", batch, "--method", "gmt", "--ratio", ratio.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--scope", scope, "--mode", mode, "--optimizer", "sgd", "--lr", lr.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", stepped), Is.EqualTo(0));

            var g = SafeTensorsFile.ReadDictionary(grads);
            var before = SafeTensorsFile.ReadDictionary(Path.Combine(artifacts, "checkpoint", "model.safetensors"));
            var after = SafeTensorsFile.ReadDictionary(stepped);
            var names = before.Keys.ToList();
            // Threshold by sorting: the k-th largest |g| with k = n - floor(r n), per tensor or over all tensors.
            float Threshold(IEnumerable<float> values)
            {
                var sorted = values.Select(Math.Abs).OrderByDescending(v => v).ToArray();
                long k = sorted.Length - (long)Math.Floor(ratio * sorted.Length + 1e-9);
                return sorted[k - 1];
            }
            float global = Threshold(names.SelectMany(n => g[n].ToFloats()));
            foreach (var name in names)
            {
                var grad = g[name].ToFloats();
                var theta = before[name].ToFloats();
                var actual = after[name].ToFloats();
                float t = scope == "global" ? global : Threshold(grad);
                for (int i = 0; i < grad.Length; i++)
                {
                    // SGD with momentum from a fresh buffer: buf = g, θ ← θ − lr·buf. Masked entries: unchanged
                    // in freeze mode; a zero gradient (so also unchanged) in zero-grad mode.
                    float expected = Math.Abs(grad[i]) >= t ? (float)(theta[i] - lr * grad[i]) : theta[i];
                    Assert.That(actual[i], Is.EqualTo(expected).Within(1e-6f), $"{name}[{i}]");
                }
            }
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }
}
