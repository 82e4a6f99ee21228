using OrtGmt.Data.Formats;
using OrtGmt.Errors;

namespace OrtGmt.Tests.Data;

public class SampleParserTests
{
    private const string File = "data/train.jsonl";

    [TestCase("""{"instruction":"Add","input":"1 2","output":"3"}""", SampleFormat.Alpaca)]
    [TestCase("""{"query":"1+1?","response":"2"}""", SampleFormat.Query)]
    [TestCase("""{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}""", SampleFormat.Chat)]
    [TestCase("""{"prompt":"p","completion":"c"}""", SampleFormat.Prompt)]
    [TestCase("""{"prompt":"p","chosen":"a","rejected":"b"}""", SampleFormat.Dpo)]
    [TestCase("""{"text":"hello"}""", SampleFormat.Text)]
    public void DetectsEachFormat(string json, SampleFormat expected)
    {
        Assert.That(SampleParser.Parse(json, SampleFormat.Auto, File, 1).Format, Is.EqualTo(expected));
    }

    [Test]
    public void AlpacaJoinsInstructionAndInput()
    {
        var s = SampleParser.Parse("""{"instruction":"Add","input":"1 2","output":"3"}""", SampleFormat.Auto, File, 1);
        Assert.That(s.Messages.Select(m => (m.Role, m.Content)), Is.EqualTo(new[] { ("user", "Add\n\n1 2"), ("assistant", "3") }));
        var noInput = SampleParser.Parse("""{"instruction":"Say hi","output":"hi"}""", SampleFormat.Alpaca, File, 1);
        Assert.That(noInput.Messages[0].Content, Is.EqualTo("Say hi"));
    }

    [TestCase("""{"query": "x", """, "data/train.jsonl:7: malformed JSON")]
    [TestCase("""{"query":"x"}""", "data/train.jsonl:7: missing field 'response'")]
    [TestCase("""{"query":"x","response":42}""", "data/train.jsonl:7: field 'response' must be a string, found a number")]
    [TestCase("""{"query":"x","response":"  "}""", "data/train.jsonl:7: field 'response' is empty")]
    [TestCase("""[1,2]""", "data/train.jsonl:7: expected a JSON object, found an array")]
    public void BadQueryLinesNameFileAndLine(string json, string expectedStart)
    {
        var e = Assert.Throws<InvalidFileException>(() => SampleParser.Parse(json, SampleFormat.Query, File, 7));
        Assert.That(e!.Message, Does.StartWith(expectedStart));
        Assert.That(e.Line, Is.EqualTo(7));
    }

    [TestCase("""{"messages":[{"role":"robot","content":"beep"}]}""", "data/train.jsonl:3: messages[0]: unknown role 'robot'")]
    [TestCase("""{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":""}]}""", "data/train.jsonl:3: messages[1]: empty assistant content")]
    [TestCase("""{"messages":[{"role":"user"}]}""", "data/train.jsonl:3: messages[0]: missing field 'content'")]
    [TestCase("""{"messages":[{"role":"user","content":"hi"}]}""", "data/train.jsonl:3: conversation has no assistant message")]
    [TestCase("""{"messages":"hi"}""", "data/train.jsonl:3: field 'messages' must be an array")]
    public void BadChatLinesNameFileAndLine(string json, string expectedStart)
    {
        var e = Assert.Throws<InvalidFileException>(() => SampleParser.Parse(json, SampleFormat.Auto, File, 3));
        Assert.That(e!.Message, Does.StartWith(expectedStart));
    }

    [Test]
    public void UnknownShapeListsTheFieldsFound()
    {
        var e = Assert.Throws<InvalidFileException>(() => SampleParser.Parse("""{"question":"q","answer":"a"}""", SampleFormat.Auto, File, 2));
        Assert.That(e!.Message, Does.StartWith("data/train.jsonl:2: unknown sample shape (fields: question, answer)"));
    }
}
