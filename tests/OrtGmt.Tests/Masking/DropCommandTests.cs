using OrtGmt.SafeTensors;
using OrtGmt.Tests.Cli;

namespace OrtGmt.Tests.Masking;

public class DropCommandTests
{
    private static int Run(params string[] args) => CliRunner.Run(["drop", .. args]).Code;

    [Test]
    public void WritesTheDroppedParametersAndKeepsOtherTensors()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string a = Path.Combine(dir, "base.safetensors"), b = Path.Combine(dir, "tuned.safetensors"), c = Path.Combine(dir, "out.safetensors");
            SafeTensorsFile.Write(a, [SafeTensor.FromFloats("w", [2, 2], [0, 0, 0, 0]), SafeTensor.FromInt64s("step", [1], [0])]);
            SafeTensorsFile.Write(b, [SafeTensor.FromFloats("w", [2, 2], [1, -4, 2, 3]), SafeTensor.FromInt64s("step", [1], [7])]);
            Assert.That(Run("--base", a, "--tuned", b, "--ratio", "0.5", "--strategy", "trivial", "--out", c), Is.Zero);
            var o = SafeTensorsFile.ReadDictionary(c);
            Assert.That(o["w"].ToFloats(), Is.EqualTo(new float[] { 0, -4, 0, 3 }));
            Assert.That(o["step"].ToInt64s(), Is.EqualTo(new long[] { 7 }));
            Assert.That(Run("--base", a, "--tuned", b, "--ratio", "0.5", "--strategy", "salient", "--out", c), Is.Zero);
            Assert.That(SafeTensorsFile.ReadDictionary(c)["w"].ToFloats(), Is.EqualTo(new float[] { 1, 0, 2, 0 }));
        }
        finally { TestPaths.Delete(dir); }
    }

    [Test]
    public void MismatchedFilesAndBadOptionsAreUserErrors()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string a = Path.Combine(dir, "base.safetensors"), b = Path.Combine(dir, "tuned.safetensors"), c = Path.Combine(dir, "out.safetensors");
            SafeTensorsFile.Write(a, [SafeTensor.FromFloats("w", [3], [0, 0, 0])]);
            SafeTensorsFile.Write(b, [SafeTensor.FromFloats("w", [1, 3], [1, 2, 3])]);
            Assert.That(Run("--base", a, "--tuned", b, "--ratio", "0.5", "--out", c), Is.EqualTo(1));
            SafeTensorsFile.Write(b, [SafeTensor.FromFloats("w", [3], [1, 2, 3])]);
            Assert.That(Run("--base", a, "--tuned", b, "--ratio", "1.5", "--out", c), Is.EqualTo(1));
            Assert.That(Run("--base", a, "--tuned", b, "--ratio", "0.5", "--strategy", "biggest", "--out", c), Is.EqualTo(1));
            Assert.That(File.Exists(c), Is.False);
        }
        finally { TestPaths.Delete(dir); }
    }
}
