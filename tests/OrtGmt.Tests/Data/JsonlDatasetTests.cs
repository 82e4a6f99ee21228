using OrtGmt.Data.Batching;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Templates;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Tokenizers;

namespace OrtGmt.Tests.Data;

public class JsonlDatasetTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private string Write(params string[] lines)
    {
        string path = Path.Combine(_dir, "d.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static SampleEncoder Encoder(int maxSeq = 64, TruncationPolicy policy = TruncationPolicy.Error) =>
        new(ByteTokenizer.Instance, new PlainTemplate(), new EncodeOptions { MaxSeq = maxSeq, Truncation = policy });

    [Test]
    public void ReadsLinesLazilyByOffsetAndSkipsBlankLines()
    {
        string path = Write("""{"query":"a","response":"b"}""", "", """{"query":"cc","response":"é"}""");
        using var ds = JsonlDataset.Open(path, Encoder());
        Assert.That(ds.Format, Is.EqualTo(SampleFormat.Query));
        Assert.That(ds.Count, Is.EqualTo(2));
        Assert.That(ds.LineOf(1), Is.EqualTo(3));
        var s = ds.Get(1);
        Assert.That(ByteTokenizer.Instance.Decode(s.Ids), Is.EqualTo("cc\né"));
        Assert.That(ds.LengthOf(1), Is.EqualTo(s.Length));
    }

    [Test]
    public void BadLineIsAnErrorWithFileAndLine()
    {
        string path = Write("""{"query":"a","response":"b"}""", "{\"query\":\"a\",\"response\":\"b", """{"query":"a"}""");
        var e = Assert.Throws<InvalidFileException>(() => JsonlDataset.Open(path, Encoder()));
        Assert.That(e!.Message, Does.StartWith($"{path}:2: malformed JSON"));
    }

    [Test]
    public void SkipBadSkipsAndCountsEveryBadLine()
    {
        string path = Write(
            """{"query":"a","response":"b"}""",
            "{not json",
            """{"query":"a"}""",
            """{"query":"a","response":7}""",
            """{"query":"a","response":""}""",
            """{"query":"x","response":"y"}""");
        using var ds = JsonlDataset.Open(path, Encoder(), skipBad: true);
        Assert.That(ds.Count, Is.EqualTo(2));
        Assert.That(ds.Stats.SkippedBad, Is.EqualTo(4));
        Assert.That(ds.Stats.SkippedExamples[0], Does.StartWith($"{path}:2:"));
        Assert.That(ds.Stats.SkippedExamples[3], Does.StartWith($"{path}:5: field 'response' is empty"));
    }

    [Test]
    public void OverlongSampleFollowsThePolicyAndIsCounted()
    {
        string path = Write("""{"query":"a","response":"b"}""", """{"query":"aaaaaaaaaaaa","response":"b"}""");
        var e = Assert.Throws<SampleTooLongException>(() => JsonlDataset.Open(path, Encoder(maxSeq: 8)));
        Assert.That(e!.Message, Does.StartWith($"{path}:2: sample has 16 tokens"));
        using var dropped = JsonlDataset.Open(path, Encoder(maxSeq: 8, policy: TruncationPolicy.Drop));
        Assert.That((dropped.Count, dropped.Stats.DroppedTooLong), Is.EqualTo((1, 1L)));
        using var cut = JsonlDataset.Open(path, Encoder(maxSeq: 8, policy: TruncationPolicy.TruncateLeft));
        Assert.That((cut.Count, cut.Stats.Truncated, cut.Get(1).Length), Is.EqualTo((2, 1L, 8)));
    }

    [Test]
    public void SkipBadDoesNotHideAnOverlongSample()
    {
        string path = Write("""{"query":"aaaaaaaaaaaa","response":"b"}""");
        var e = Assert.Throws<SampleTooLongException>(() => JsonlDataset.Open(path, Encoder(maxSeq: 8), skipBad: true));
        Assert.That(e!.Message, Does.StartWith($"{path}:1: sample has 16 tokens"));
    }

    [Test]
    public void ExplicitFormatOverridesDetection()
    {
        string path = Write("""{"prompt":"p","completion":"c","text":"t"}""");
        using var text = JsonlDataset.Open(path, Encoder(), SampleFormat.Text);
        Assert.That(ByteTokenizer.Instance.Decode(text.Get(0).Ids), Is.EqualTo("t"));
        using var auto = JsonlDataset.Open(path, Encoder());
        Assert.That(auto.Format, Is.EqualTo(SampleFormat.Prompt));
    }

    [Test]
    public void DpoFileReadsAsPairsNotAsSupervisedData()
    {
        string path = Write("""{"prompt":"p","chosen":"a","rejected":"b"}""", """{"prompt":"p","chosen":"a"}""");
        Assert.Throws<OrtGmtException>(() => JsonlDataset.Open(path, Encoder()));
        var enc = Encoder();
        var pairs = DpoPairs.Read(path, enc, skipBad: true).ToList();
        Assert.That(pairs, Has.Count.EqualTo(1));
        Assert.That(enc.Stats.SkippedExamples.Single(), Does.StartWith($"{path}:2: missing field 'rejected'"));
    }

    [Test]
    public void MissingFileIsAClearError()
    {
        var e = Assert.Throws<OrtGmtException>(() => JsonlDataset.Open(Path.Combine(_dir, "nope.jsonl"), Encoder()));
        Assert.That(e!.Message, Does.Contain("nope.jsonl"));
    }
}
