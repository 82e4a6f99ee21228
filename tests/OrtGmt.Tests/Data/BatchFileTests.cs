using OrtGmt.Artifacts;
using OrtGmt.Data.Batching;
using OrtGmt.Errors;
using OrtGmt.SafeTensors;

namespace OrtGmt.Tests.Data;

public class BatchFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void DeleteDir() => TestPaths.Delete(_dir);

    private static Batch Sample(bool attentionMask) =>
        new([5, 6, 7, 0, 8, 9], [6, 7, ArtifactContract.IgnoreIndex, ArtifactContract.IgnoreIndex, 9, ArtifactContract.IgnoreIndex],
            attentionMask ? [1, 1, 1, 0, 1, 1] : null, 2, 3);

    [TestCase(true)]
    [TestCase(false)]
    public void ABatchRoundTrips(bool attentionMask)
    {
        string path = Path.Combine(_dir, "batch.safetensors");
        var batch = Sample(attentionMask);
        BatchFile.Write(path, batch);
        var read = BatchFile.Read(path);
        Assert.That((read.BatchSize, read.SequenceLength), Is.EqualTo((2, 3)));
        Assert.That(read.InputIds, Is.EqualTo(batch.InputIds));
        Assert.That(read.Labels, Is.EqualTo(batch.Labels));
        Assert.That(read.AttentionMask, Is.EqualTo(batch.AttentionMask));
        Assert.That(read.TargetCount, Is.EqualTo(3));
    }

    [Test]
    public void AMissingOrMisshapenTensorIsAnErrorNamingIt()
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        SafeTensorsFile.Write(path, [SafeTensor.FromInt64s(ArtifactContract.InputIds, [1, 2], [1, 2])]);
        Assert.That(Assert.Throws<InvalidFileException>(() => BatchFile.Read(path))!.Message, Does.Contain("'labels'").And.Contain(path));

        SafeTensorsFile.Write(path, [SafeTensor.FromInt64s(ArtifactContract.InputIds, [1, 2], [1, 2]), SafeTensor.FromInt64s(ArtifactContract.Labels, [2, 1], [1, 2])]);
        Assert.That(Assert.Throws<InvalidFileException>(() => BatchFile.Read(path))!.Message, Does.Contain("'labels' shape [2, 1]"));

        SafeTensorsFile.Write(path, [SafeTensor.FromInt64s(ArtifactContract.InputIds, [1, 2], [1, 2]), SafeTensor.FromFloats(ArtifactContract.Labels, [1, 2], [1f, 2f])]);
        Assert.That(Assert.Throws<InvalidFileException>(() => BatchFile.Read(path))!.Message, Does.Contain("'labels' must be I64"));

        SafeTensorsFile.Write(path, [SafeTensor.FromInt64s(ArtifactContract.InputIds, [1, 2], [1, 2]), SafeTensor.FromInt64s(ArtifactContract.Labels, [1, 2], [1, 2]),
            SafeTensor.FromInt64s(ArtifactContract.AttentionMask, [2], [1, 1])]);
        Assert.That(Assert.Throws<InvalidFileException>(() => BatchFile.Read(path))!.Message, Does.Contain("'attention_mask' shape [2]"));
    }

    [Test]
    public void ValidationNamesTheTensorAndThePosition()
    {
        var batch = Sample(attentionMask: true);
        Assert.That(Assert.Throws<OrtGmtException>(() => (batch with { Labels = [6, 7, 3, 0, 50, -1] }).Validate(10))!.Message,
            Does.Contain("labels[1, 1] = 50").And.Contain("-100"));
        Assert.That(Assert.Throws<OrtGmtException>(() => (batch with { AttentionMask = [1, 1] }).Validate(10))!.Message,
            Does.Contain("attention_mask has 2 values, expected 6"));
        Assert.DoesNotThrow(() => batch.Validate(10));
    }
}
