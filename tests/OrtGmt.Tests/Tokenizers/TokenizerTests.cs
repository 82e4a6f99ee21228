using System.Text.Json;
using OrtGmt.Errors;
using OrtGmt.Tokenizers;

namespace OrtGmt.Tests.Tokenizers;

public class TokenizerTests
{
    private sealed record GoldenCase(string Text, int[] Ids, string Decoded);

    private static IEnumerable<GoldenCase> Golden(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Artifact("fixtures", "tokenizers", fixture, "golden.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            yield return new GoldenCase(
                c.GetProperty("text").GetString()!,
                [.. c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())],
                c.GetProperty("decoded").GetString()!);
        }
    }

    [Test]
    public void ByteTokenizerEncodesUtf8BytesAndRoundTrips()
    {
        var t = ByteTokenizer.Instance;
        Assert.That(t.Encode("aé"), Is.EqualTo(new[] { 0x61, 0xC3, 0xA9 }));
        Assert.That(t.Decode([ByteTokenizer.Bos, 0x61, 0xC3, 0xA9, ByteTokenizer.Eos, ByteTokenizer.Pad]), Is.EqualTo("aé"));
        Assert.That((t.VocabSize, t.BosId, t.EosId, t.PadId), Is.EqualTo((259, (int?)256, (int?)257, 258)));
    }

    [Test]
    public void ByteTokenizerRejectsIdsOutsideItsVocabulary()
    {
        Assert.Throws<OrtGmtException>(() => ByteTokenizer.Instance.Decode([259]));
    }

    [Test]
    public void LoaderGivesTheByteTokenizerForItsName()
    {
        Assert.That(TokenizerLoader.Load("byte"), Is.SameAs(ByteTokenizer.Instance));
        Assert.That(TokenizerLoader.Load(null), Is.SameAs(ByteTokenizer.Instance));
    }

    [TestCase("bpe-tiny")]
    [TestCase("bpe-tiny-split")]
    public void HuggingFaceBpeMatchesReferenceIds(string fixture)
    {
        var t = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", fixture));
        Assert.That(t, Is.InstanceOf<HfBpeTokenizer>());
        foreach (var c in Golden(fixture))
        {
            Assert.That(t.Encode(c.Text), Is.EqualTo(c.Ids), $"encode {c.Text}");
            Assert.That(t.Decode(c.Ids), Is.EqualTo(c.Decoded), $"decode {c.Text}");
        }
    }

    [Test]
    public void HuggingFaceBpeReadsSpecialTokensAndTemplateFromConfig()
    {
        var t = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny", "tokenizer.json"));
        Assert.That(t.EosToken, Is.EqualTo("<|im_end|>"));
        Assert.That(t.EosId, Is.EqualTo(t.Encode("<|im_end|>").Single()));
        Assert.That(t.PadId, Is.EqualTo(t.Encode("<|endoftext|>").Single()));
        Assert.That(t.BosId, Is.Null);
        Assert.That(t.ChatTemplate, Does.Contain("<|im_start|>"));
        Assert.That(t.VocabSize, Is.EqualTo(525));
    }

    [Test]
    public void SentencePieceMatchesReferenceIds()
    {
        var t = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", "spm-tiny"));
        Assert.That(t, Is.InstanceOf<SentencePieceTextTokenizer>());
        foreach (var c in Golden("spm-tiny"))
        {
            Assert.That(t.Encode(c.Text), Is.EqualTo(c.Ids), $"encode {c.Text}");
            Assert.That(t.Decode(c.Ids), Is.EqualTo(c.Decoded), $"decode {c.Text}");
        }
    }

    [Test]
    public void SentencePieceHasLlamaSpecialTokens()
    {
        var t = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", "spm-tiny", "tokenizer.model"));
        Assert.That((t.BosId, t.EosId, t.BosToken, t.EosToken), Is.EqualTo(((int?)1, (int?)2, "<s>", "</s>")));
        Assert.That(t.VocabSize, Is.EqualTo(400));
    }

    [Test]
    public void SpecialTokensMapIsReadAndTokenizerConfigWins()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            File.Copy(TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny", "tokenizer.json"), Path.Combine(dir, "tokenizer.json"));
            File.WriteAllText(Path.Combine(dir, "special_tokens_map.json"), """{"bos_token": {"content": "<|im_start|>"}, "eos_token": "<|endoftext|>"}""");
            var t = TokenizerLoader.Load(dir);
            Assert.That((t.BosToken, t.EosToken), Is.EqualTo(("<|im_start|>", "<|endoftext|>")));
            Assert.That(t.PadId, Is.EqualTo(t.EosId), "without a pad token, EOS pads");
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"eos_token": "<|im_end|>"}""");
            Assert.That(TokenizerLoader.Load(dir).EosToken, Is.EqualTo("<|im_end|>"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }

    [Test]
    public void SpecialTokenMissingFromTheVocabularyIsAnError()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            File.Copy(TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny", "tokenizer.json"), Path.Combine(dir, "tokenizer.json"));
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"eos_token": "<eos>"}""");
            var e = Assert.Throws<InvalidFileException>(() => TokenizerLoader.Load(dir));
            Assert.That(e!.Message, Does.Contain("eos_token '<eos>'"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }

    [Test]
    public void MissingTokenizerIsAClearError()
    {
        var e = Assert.Throws<OrtGmtException>(() => TokenizerLoader.Load("/nonexistent/tok.json"));
        Assert.That(e!.Message, Does.Contain("/nonexistent/tok.json"));
    }

    [Test]
    public void NonBpeTokenizerJsonIsRejectedWithItsPath()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            string path = Path.Combine(dir, "tokenizer.json");
            File.WriteAllText(path, """{"model": {"type": "WordPiece", "vocab": {}}}""");
            var e = Assert.Throws<InvalidFileException>(() => TokenizerLoader.Load(dir));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("WordPiece"));
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }
}
