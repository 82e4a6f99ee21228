using OrtGmt.Artifacts;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Templates;
using OrtGmt.Data.Tokenization;
using OrtGmt.Tokenizers;

namespace OrtGmt.Tests.Data;

/// <summary>Exact loss masks per format, with the byte tokenizer (one id per ASCII character).</summary>
public class LossMaskTests
{
    private const int Bos = ByteTokenizer.Bos, Eos = ByteTokenizer.Eos;
    private const long X = ArtifactContract.IgnoreIndex;

    private static SampleEncoder Encoder(string template = "plain", bool trainOnInputs = false, int maxSeq = 256, TruncationPolicy policy = TruncationPolicy.Error) =>
        new(ByteTokenizer.Instance, BuiltIn.Find(template)!, new EncodeOptions { MaxSeq = maxSeq, Truncation = policy, TrainOnInputs = trainOnInputs });

    private static EncodedSample Encode(string json, SampleEncoder? encoder = null) =>
        (encoder ?? Encoder()).Encode(SampleParser.Parse(json, SampleFormat.Auto, "t.jsonl", 1))!;

    private static long[] Ids(params object[] parts) =>
        parts.SelectMany(p => p is string s ? s.Select(c => (long)c) : [(long)(int)p]).ToArray();

    [Test]
    public void QueryResponseTrainsOnlyTheResponseAndEos()
    {
        var e = Encode("""{"query":"Q","response":"AB"}""");
        Assert.That(e.Ids.Select(i => (long)i), Is.EqualTo(Ids(Bos, "Q\nAB", Eos)));
        // labels[t] = ids[t+1] where token t+1 is trained: positions of "\n" -> A, A -> B, B -> EOS.
        Assert.That(e.Labels(), Is.EqualTo(new[] { X, X, 'A', 'B', Eos, X }));
    }

    [Test]
    public void AlpacaMasksInstructionAndInput()
    {
        var e = Encode("""{"instruction":"I","input":"N","output":"O"}""");
        Assert.That(e.Ids.Select(i => (long)i), Is.EqualTo(Ids(Bos, "I\n\nN\nO", Eos)));
        Assert.That(e.Labels(), Is.EqualTo(new[] { X, X, X, X, X, 'O', Eos, X }));
    }

    [Test]
    public void PromptCompletionMasksThePrompt()
    {
        var e = Encode("""{"prompt":"P","completion":"C"}""");
        Assert.That(e.Labels(), Is.EqualTo(new[] { X, X, 'C', Eos, X }));
    }

    [Test]
    public void ChatTrainsEveryAssistantTurnAndNothingElse()
    {
        var e = Encode("""{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"},{"role":"user","content":"V"},{"role":"assistant","content":"B"}]}""");
        Assert.That(e.Ids.Select(i => (long)i), Is.EqualTo(Ids(Bos, "S\n\nU\nA", Eos, "V\nB", Eos)));
        Assert.That(e.Labels(), Is.EqualTo(new[] { X, X, X, X, X, 'A', Eos, X, X, 'B', Eos, X }));
    }

    [Test]
    public void TextTrainsEverythingAfterBos()
    {
        var e = Encode("""{"text":"ab"}""");
        Assert.That(e.Labels(), Is.EqualTo(new[] { 'a', 'b', Eos, X }));
    }

    [Test]
    public void TrainOnInputsTrainsThePromptToo()
    {
        var e = Encode("""{"query":"Q","response":"A"}""", Encoder(trainOnInputs: true));
        Assert.That(e.Labels(), Is.EqualTo(new[] { 'Q', '\n', 'A', Eos, X }));
    }

    [Test]
    public void ChatMlTrainsResponseWithItsEndMarker()
    {
        var e = Encode("""{"query":"Q","response":"A"}""", Encoder("chatml"));
        string text = "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>";
        Assert.That(e.Ids.Select(i => (long)i), Is.EqualTo(Ids(text, Eos, "\n")));
        int trainedFrom = text.IndexOf("A<|im_end|>", StringComparison.Ordinal);
        var trained = Enumerable.Range(0, e.Length).Where(t => e.Trained[t]).ToList();
        Assert.That(trained, Is.EqualTo(Enumerable.Range(trainedFrom, "A<|im_end|>".Length + 1).ToList()));
    }

    [Test]
    public void Llama2WrapsTheUserTurnAndTrainsTheAnswer()
    {
        var e = Encode("""{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]}""", Encoder("llama2"));
        Assert.That(e.Ids.Select(i => (long)i), Is.EqualTo(Ids(Bos, "[INST] <<SYS>>\nS\n<</SYS>>\n\nU [/INST] A ", Eos)));
        Assert.That(ByteTokenizer.Instance.Decode(e.Ids.Where((_, t) => e.Trained[t])), Is.EqualTo(" A "));
    }

    [Test]
    public void DpoPairSharesThePromptAndTrainsEachResponse()
    {
        var pair = Encoder().EncodeDpo(SampleParser.Parse("""{"prompt":"P","chosen":"good","rejected":"bad"}""", SampleFormat.Auto, "t.jsonl", 1))!;
        Assert.That(pair.PromptLength, Is.EqualTo(3));
        Assert.That(pair.Chosen.Labels(), Is.EqualTo(new[] { X, X, 'g', 'o', 'o', 'd', Eos, X }));
        Assert.That(pair.Rejected.Labels(), Is.EqualTo(new[] { X, X, 'b', 'a', 'd', Eos, X }));
    }

    [Test]
    public void TruncateRightKeepsTheStartAndTruncateLeftTheEnd()
    {
        const string json = """{"query":"QQQQ","response":"AB"}""";
        var right = Encoder(maxSeq: 7, policy: TruncationPolicy.TruncateRight);
        Assert.That(Encode(json, right).Ids.Select(i => (long)i), Is.EqualTo(Ids(Bos, "QQQQ\nA")));
        var left = Encoder(maxSeq: 5, policy: TruncationPolicy.TruncateLeft);
        Assert.That(Encode(json, left).Ids.Select(i => (long)i), Is.EqualTo(Ids("Q\nAB", Eos)));
        Assert.That((right.Stats.Truncated, left.Stats.Truncated), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public void DropAndErrorPoliciesForOverlongSamples()
    {
        var drop = Encoder(maxSeq: 4, policy: TruncationPolicy.Drop);
        Assert.That(drop.Encode(SampleParser.Parse("""{"query":"QQQQ","response":"A"}""", SampleFormat.Auto, "t.jsonl", 1)), Is.Null);
        Assert.That(drop.Stats.DroppedTooLong, Is.EqualTo(1));
        var error = Encoder(maxSeq: 4);
        var e = Assert.Throws<SampleTooLongException>(() => error.Encode(SampleParser.Parse("""{"query":"QQQQ","response":"A"}""", SampleFormat.Auto, "t.jsonl", 9)));
        Assert.That(e!.Message, Does.StartWith("t.jsonl:9: sample has 8 tokens, more than the maximum sequence length 4"));
    }

    [Test]
    public void SampleWhoseResponseIsTruncatedAwayIsDroppedAndCounted()
    {
        var enc = Encoder(maxSeq: 3, policy: TruncationPolicy.TruncateRight);
        Assert.That(enc.Encode(SampleParser.Parse("""{"query":"QQQQ","response":"A"}""", SampleFormat.Auto, "t.jsonl", 1)), Is.Null);
        Assert.That(enc.Stats.DroppedNoTargets, Is.EqualTo(1));
    }

    [Test]
    public void GenerationPromptEndsWhereTheAnswerStarts()
    {
        Assert.That(Encoder().EncodePrompt("Q").Select(i => (long)i), Is.EqualTo(Ids(Bos, "Q\n")));
        Assert.That(ByteTokenizer.Instance.Decode(Encoder("chatml").EncodePrompt("Q")), Does.EndWith("<|im_start|>assistant\n"));
    }
}
