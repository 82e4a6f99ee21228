using System.Text.Json.Serialization;
using OrtGmt.Config;
using OrtGmt.Errors;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Config;

public class ConfigJsonTests
{
    private sealed record Sample
    {
        [JsonPropertyName("mask_ratio")] public double MaskRatio { get; init; }
        [JsonPropertyName("max_steps")] public int? MaxSteps { get; init; }
        [JsonPropertyName("method")] public TrainingMethod Method { get; init; }
        [JsonPropertyName("name")] public string Name { get; init; } = "";
    }

    private static (Sample, IReadOnlyDictionary<string, long>) Read(string json) => ConfigJson.Read<Sample>(json, "run.json", ConfigJson.CreateOptions());

    [Test]
    public void AnUnknownFieldSuggestsTheNearestKnownOne()
    {
        var e = Assert.Throws<ConfigException>(() => Read("{\n  \"method\": \"gmt\",\n  \"mask_raito\": 0.3\n}"))!;
        Assert.That(e.Message, Is.EqualTo("run.json:3: unknown field 'mask_raito', did you mean 'mask_ratio'?"));
        Assert.That(e.Field, Is.EqualTo("mask_raito"));
        var far = Assert.Throws<ConfigException>(() => Read("""{"colour": 1}"""))!;
        Assert.That(far.Message, Is.EqualTo("run.json:1: unknown field 'colour'"));
    }

    [Test]
    public void AValueOfTheWrongTypeNamesTheFieldTheExpectedTypeWhatWasFoundAndTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => Read("{\n\n  \"mask_ratio\": \"abc\"\n}"))!;
        Assert.That(e.Message, Is.EqualTo("run.json:3: field 'mask_ratio': expected a number, got \"abc\""));
        Assert.That(e.Line, Is.EqualTo(3));
        Assert.That(Assert.Throws<ConfigException>(() => Read("""{"max_steps": 1.5}"""))!.Message,
            Is.EqualTo("run.json:1: field 'max_steps': expected an integer or null, got 1.5"));
        Assert.That(Assert.Throws<ConfigException>(() => Read("""{"method": 2}"""))!.Message,
            Is.EqualTo("run.json:1: field 'method': expected one of sft, gmt, rmt, hft, got 2"));
        Assert.That(Assert.Throws<ConfigException>(() => Read("""{"method": "magic"}"""))!.Message,
            Is.EqualTo("run.json:1: field 'method': 'magic' is not one of sft, gmt, rmt, hft"));
    }

    [Test]
    public void NoMessageLeaksDotNetTypeNames()
    {
        string[] documents = ["""{"max_steps": "ten"}""", """{"name": 3}""", """{"mask_ratio": true}""", "[1, 2]", "{\"a\": }", "", "null"];
        foreach (var json in documents)
        {
            var e = Assert.Catch<OrtGmtException>(() => Read(json), json)!;
            Assert.That(e.Message, Does.Not.Contain("System.").And.Not.Contain("LineNumber").And.Not.Contain("(document)").And.Not.Contain("OrtGmt."), json);
            Assert.That(e.Message, Does.StartWith("run.json:"), json);
        }
    }

    [Test]
    public void SyntaxErrorsAndNonObjectDocumentsGiveTheOneBasedLine()
    {
        var syntax = Assert.Throws<InvalidFileException>(() => Read("{\n  \"mask_ratio\": 0.3\n  \"method\": \"gmt\"\n}"))!;
        Assert.That(syntax.Line, Is.EqualTo(3));
        Assert.That(syntax.Message, Does.StartWith("run.json:3: not valid JSON: "));
        var array = Assert.Throws<InvalidFileException>(() => Read("[]"))!;
        Assert.That(array.Message, Is.EqualTo("run.json:1: expected a JSON object of config fields, found an array"));
    }

    [Test]
    public void AFieldSetTwiceIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => Read("{\"method\": \"gmt\",\n\"method\": \"sft\"}"))!;
        Assert.That(e.Field, Is.EqualTo("method"));
        Assert.That(e.Message, Does.Contain("set twice"));
    }

    [Test]
    public void CommentsTrailingCommasAndSpellingsRead()
    {
        var (value, lines) = Read("{\n  // the method\n  \"method\": \"RMT\",\n  \"mask_ratio\": 0.25,\n}");
        Assert.That(value.Method, Is.EqualTo(TrainingMethod.Rmt));
        Assert.That(value.MaskRatio, Is.EqualTo(0.25));
        Assert.That(lines["method"], Is.EqualTo(3));
        Assert.That(lines["mask_ratio"], Is.EqualTo(4));
    }
}
