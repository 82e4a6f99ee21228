using System.Text.Json;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Templates;
using OrtGmt.Data.Templates.Jinja;
using OrtGmt.Tokenizers;

namespace OrtGmt.Tests.Data;

public class JinjaTemplateTests
{
    private static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.GetInt64(),
        _ => null,
    };

    public static IEnumerable<TestCaseData> GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Artifact("fixtures", "templates", "goldens.json")));
        foreach (var t in doc.RootElement.GetProperty("templates").EnumerateArray())
        {
            string name = t.GetProperty("name").GetString()!;
            string template = t.GetProperty("template").GetString()!;
            foreach (var c in t.GetProperty("cases").EnumerateArray())
            {
                var vars = new Dictionary<string, object?>
                {
                    ["messages"] = ToValue(c.GetProperty("messages")),
                    ["add_generation_prompt"] = c.GetProperty("add_generation_prompt").GetBoolean(),
                    ["bos_token"] = c.GetProperty("bos_token").GetString(),
                    ["eos_token"] = c.GetProperty("eos_token").GetString(),
                };
                string? expected = c.TryGetProperty("expected", out var ex) ? ex.GetString() : null;
                string? error = c.TryGetProperty("error", out var er) ? er.GetString() : null;
                yield return new TestCaseData(template, vars, expected, error)
                    .SetName($"RendersLikeJinja2_{name}_{c.GetProperty("conversation").GetString()}_{(c.GetProperty("add_generation_prompt").GetBoolean() ? "gen" : "nogen")}");
            }
        }
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void RendersLikeJinja2(string template, Dictionary<string, object?> vars, string? expected, string? error)
    {
        var t = new JinjaTemplate(template);
        if (expected is null)
        {
            var e = Assert.Throws<ChatTemplateException>(() => t.Render(vars));
            Assert.That(e!.Message, Is.EqualTo("chat template raised an error: " + error));
        }
        else
        {
            Assert.That(t.Render(vars), Is.EqualTo(expected));
        }
    }

    [Test]
    public void MacroIsReportedAsUnsupported()
    {
        var e = Assert.Throws<ChatTemplateException>(() => new JinjaTemplate("{% macro f(x) %}{{ x }}{% endmacro %}"));
        Assert.That(e!.Message, Does.Contain("macro").And.Contain("not supported"));
    }

    [Test]
    public void UnknownFilterIsReportedWhenRendered()
    {
        var t = new JinjaTemplate("{{ messages | wordcount }}");
        var e = Assert.Throws<ChatTemplateException>(() => t.Render(new Dictionary<string, object?> { ["messages"] = "a b" }));
        Assert.That(e!.Message, Does.Contain("filter 'wordcount' is not supported"));
    }

    [Test]
    public void UnclosedIfIsASyntaxError()
    {
        var e = Assert.Throws<ChatTemplateException>(() => new JinjaTemplate("{% if x %}a"));
        Assert.That(e!.Message, Does.Contain("endif"));
    }

    [Test]
    public void ZephyrTemplateMasksOnlyAssistantTurnsAndTheirEos()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Artifact("fixtures", "templates", "goldens.json")));
        string zephyr = doc.RootElement.GetProperty("templates").EnumerateArray().First(t => t.GetProperty("name").GetString() == "zephyr").GetProperty("template").GetString()!;
        var template = new JinjaChatTemplate(zephyr, "zephyr");
        var tok = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", "spm-tiny"));
        var segments = template.Render(
            [new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello"), new ChatMessage("user", "Bye"), new ChatMessage("assistant", "Ciao")], tok);
        var trained = segments.Where(s => s.Trained).Select(s => s.Text).ToList();
        Assert.That(trained, Is.EqualTo(new[] { "Hello</s>\n", "Ciao</s>\n" }));
        Assert.That(string.Concat(segments.Select(s => s.Text)), Is.EqualTo("<|user|>\nHi</s>\n<|assistant|>\nHello</s>\n<|user|>\nBye</s>\n<|assistant|>\nCiao</s>\n"));
    }

    [Test]
    public void TokenizerConfigTemplateIsPickedByAuto()
    {
        var tok = TokenizerLoader.Load(TestPaths.Artifact("fixtures", "tokenizers", "bpe-tiny"));
        var template = BuiltIn.Resolve("auto", tok);
        Assert.That(template, Is.InstanceOf<JinjaChatTemplate>());
        var segments = template.Render([new ChatMessage("user", "2+2?"), new ChatMessage("assistant", "4")], tok);
        Assert.That(segments.Where(s => s.Trained).Select(s => s.Text), Is.EqualTo(new[] { "4<|im_end|>\n" }));
    }
}
