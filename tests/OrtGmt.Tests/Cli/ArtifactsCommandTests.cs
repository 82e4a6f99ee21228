using OrtGmt.Tests.Training;

namespace OrtGmt.Tests.Cli;

public class ArtifactsCommandTests
{
    [Test]
    public void AModelFolderIsAcceptedAsTrainAcceptsIt()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string model = Path.Combine(dir, "model");
            var init = CliRunner.Run("init-model", "--out", model);
            Assert.That(init.Code, Is.Zero, init.Err);
            var run = CliRunner.Run("artifacts", "--model", model, "--out", Path.Combine(dir, "artifacts"));
            Assert.That(run.Code, Is.Zero, run.Err);
            Assert.That(File.Exists(Path.Combine(dir, "artifacts", "training_model.onnx")), Is.True);
            var empty = CliRunner.Run("artifacts", "--model", dir, "--out", Path.Combine(dir, "other"));
            Assert.That(empty.Code, Is.EqualTo(1));
            Assert.That(empty.Err.TrimEnd(), Is.EqualTo($"error: flag '--model': folder '{dir}' has no forward.onnx"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }

    [Test]
    public void CountsInMessagesAgreeInNumber()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string config = Path.Combine(dir, "one-layer.json");
            File.WriteAllText(config, TinyArtifacts.Config with { Layers = 1 } is var c ? c.ToJson() : "");
            var run = CliRunner.Run("init-model", "--config", config, "--out", Path.Combine(dir, "m"));
            Assert.That(run.Code, Is.Zero, run.Err);
            Assert.That(run.Out, Does.Contain(": 1 layer, d_model"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }
}
