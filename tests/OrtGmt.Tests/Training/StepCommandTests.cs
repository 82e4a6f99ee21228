using OrtGmt.Artifacts;
using OrtGmt.Config;
using OrtGmt.Data.Batching;
using OrtGmt.Optimizers;
using OrtGmt.SafeTensors;
using OrtGmt.Tests.Artifacts;
using OrtGmt.Tests.Cli;
using OrtGmt.Tests.Optimizers;
using OrtGmt.Training.Checkpoints;

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

    [TestCase("adamw", 0.01)]
    [TestCase("sgd", 0.1)]
    public void StepsWithAccumulationMatchAnIndependentMaskedOptimizerLoop(string optimizer, double lr)
    {
        // K = 3 steps on a 4-row batch in N = 2 micro-batches. The reference takes each step from the
        // parameters `step --steps t-1` wrote: the gradient Γ is the mean of `ortgmt grad` on the two
        // halves at those parameters, the mask keeps |Γ| ≥ the per-tensor threshold, and the optimizer
        // (written out in OptimizerReference) carries its moments from step to step with no schedule.
        // The halves have different numbers of trained tokens, so Γ differs from the gradient of the
        // whole batch at once; SGD also tells a mean from a sum.
        const int steps = 3;
        const double ratio = 0.3;
        string dir = TestPaths.NewTempDir();
        try
        {
            string artifacts = TinyArtifacts.Create(dir, EnumSpelling.Parse<OptimizerKind>(optimizer, "optimizer"));
            var full = TinyArtifacts.Batch(11, batch: 4);
            var labels = full.Labels.ToArray();
            for (int t = 2; t < 8; t++) labels[t] = -100;
            full = full with { Labels = labels };
            string batch = Path.Combine(dir, "batch.safetensors");
            BatchFile.Write(batch, full);
            int half = 2 * full.SequenceLength;
            string[] halves = [Path.Combine(dir, "half0.safetensors"), Path.Combine(dir, "half1.safetensors")];
            for (int h = 0; h < 2; h++)
                BatchFile.Write(halves[h], new Batch(full.InputIds.AsSpan(h * half, half).ToArray(), full.Labels.AsSpan(h * half, half).ToArray(), null, 2, full.SequenceLength));

            var manifest = ArtifactManifest.Load(Path.Combine(artifacts, ArtifactManifest.FileName));
            var checkpoint = Path.Combine(artifacts, "checkpoint", "model.safetensors");
            var theta = ParameterFile.Read(checkpoint, manifest.Parameters);
            var reference = new OptimizerReference(theta);
            string stepped = Path.Combine(dir, "stepped.safetensors");
            for (int t = 1; t <= steps; t++)
            {
                // Γ at the parameters the CLI reached after t − 1 steps.
                string at = Path.Combine(dir, $"at{t}");
                CopyFolder(artifacts, at);
                ParameterFile.Write(Path.Combine(at, "checkpoint", "model.safetensors"), theta, manifest.Parameters);
                var gamma = MeanOfHalves(dir, at, halves, manifest);
                var keep = new bool[gamma.Length];
                foreach (var p in manifest.Parameters)
                {
                    var segment = gamma.AsSpan((int)p.Offset, (int)p.Numel).ToArray();
                    var sorted = segment.Select(Math.Abs).OrderByDescending(v => v).ToArray();
                    float threshold = sorted[sorted.Length - (int)Math.Floor(ratio * sorted.Length + 1e-9) - 1];
                    for (int i = 0; i < segment.Length; i++) keep[p.Offset + i] = Math.Abs(segment[i]) >= threshold;
                }
                // The reference's parameters restart from the CLI's, so float rounding cannot add up; its moments are its own.
                for (int i = 0; i < theta.Length; i++) reference.P[i] = theta[i];
                if (optimizer == "adamw") reference.AdamW(gamma, keep, freeze: true, lr, wd: 0);
                else reference.Sgd(gamma, keep, freeze: true, lr, wd: 0, mu: 0.9);

                var run = CliRunner.Run("step", "--artifacts", artifacts, "--batch", batch, "--method", "gmt", "--ratio", "0.3", "--optimizer", optimizer,
                    "--lr", lr.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps", t.ToString(System.Globalization.CultureInfo.InvariantCulture), "--accum", "2", "--out", stepped);
                Assert.That(run.Code, Is.Zero, run.Err);
                Assert.That(run.Out, Does.Contain($"step {t}/{t}: loss "));
                theta = ParameterFile.Read(stepped, manifest.Parameters);
                for (int i = 0; i < theta.Length; i++)
                    Assert.That(theta[i], Is.EqualTo(reference.P[i]).Within(2e-6), $"step {t}, entry {i} ({(keep[i] ? "kept" : "masked")})");
            }
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }

    [Test]
    public void AccumulationThatDoesNotSplitTheBatchEvenlyNamesTheFlag()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string artifacts = TinyArtifacts.Create(dir);
            string batch = Path.Combine(dir, "batch.safetensors");
            BatchFile.Write(batch, TinyArtifacts.Batch(3, batch: 4));
            var run = CliRunner.Run("step", "--artifacts", artifacts, "--batch", batch, "--accum", "3", "--out", Path.Combine(dir, "o.safetensors"));
            Assert.That(run.Code, Is.EqualTo(1));
            Assert.That(run.Err, Does.StartWith("error: flag '--accum': the batch has 4 rows, which do not split into 3 equal micro-batches"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }

    private static float[] MeanOfHalves(string dir, string artifacts, string[] halves, OrtGmt.Artifacts.ArtifactManifest manifest)
    {
        var sum = new float[manifest.TotalElements];
        foreach (var h in halves)
        {
            string grads = Path.Combine(dir, "grads.safetensors");
            var g = CliRunner.Run("grad", "--artifacts", artifacts, "--batch", h, "--out", grads, "--threads", "1");
            Assert.That(g.Code, Is.Zero, g.Err);
            var byName = SafeTensorsFile.ReadDictionary(grads);
            foreach (var p in manifest.Parameters)
            {
                var values = byName[p.Name].ToFloats();
                for (int i = 0; i < values.Length; i++) sum[p.Offset + i] += values[i];
            }
        }
        for (int i = 0; i < sum.Length; i++) sum[i] *= 0.5f;
        return sum;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
