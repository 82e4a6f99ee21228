using OrtGmt.Data.Formats;
using OrtGmt.Data.Templates.Jinja;
using OrtGmt.Tokenizers;

namespace OrtGmt.Data.Templates;

/// <summary>
/// A model's own Jinja chat template (tokenizer_config.json's <c>chat_template</c>). The loss mask
/// comes from renders of conversation prefixes: for assistant turn i, the text between the render
/// of messages[..i] with <c>add_generation_prompt</c> and the render of messages[..i+1] is trained.
/// A template whose prefix renders are not prefixes of the full render cannot be masked this way and
/// is reported as unsupported.
/// </summary>
public sealed class JinjaChatTemplate : ChatTemplate
{
    private readonly JinjaTemplate _template;
    private readonly string _source;

    /// <summary>Parses <paramref name="template"/>; <paramref name="source"/> names where it came from.</summary>
    public JinjaChatTemplate(string template, string source)
    {
        _source = source;
        try
        {
            _template = new JinjaTemplate(template);
        }
        catch (ChatTemplateException e)
        {
            throw new ChatTemplateException($"{source}: {e.Message}");
        }
    }

    /// <inheritdoc />
    public override string Name => $"jinja:{_source}";

    /// <summary>Renders the conversation as plain text (what Hugging Face's apply_chat_template returns).</summary>
    public string RenderText(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer, bool addGenerationPrompt)
    {
        var vars = new Dictionary<string, object?>
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = tokenizer.BosToken ?? "",
            ["eos_token"] = tokenizer.EosToken ?? "",
        };
        try
        {
            return _template.Render(vars);
        }
        catch (ChatTemplateException e)
        {
            throw new ChatTemplateException($"{_source}: {e.Message}");
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> Render(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer)
    {
        string full = RenderText(messages, tokenizer, false);
        var segments = new List<TemplateSegment>();
        int done = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != ChatMessage.Assistant) continue;
            var before = messages.Take(i).ToList();
            string prompt = RenderText(before, tokenizer, true);
            string through = RenderText(messages.Take(i + 1).ToList(), tokenizer, false);
            if (!full.StartsWith(through, StringComparison.Ordinal) || !through.StartsWith(prompt, StringComparison.Ordinal) || prompt.Length < done)
                throw new ChatTemplateException($"{_source}: chat template is not supported for loss masking: the render of the first {i} messages is not a prefix of the full conversation's render");
            if (prompt.Length > done) segments.Add(TemplateSegment.Of(full[done..prompt.Length], false));
            segments.Add(TemplateSegment.Of(full[prompt.Length..through.Length], true));
            if (tokenizer.EosToken is null && tokenizer.EosId is { } eos) segments.Add(TemplateSegment.Special(eos, true));
            done = through.Length;
        }
        if (full.Length > done) segments.Add(TemplateSegment.Of(full[done..], false));
        return segments;
    }

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> RenderPrompt(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) =>
        [TemplateSegment.Of(RenderText(messages, tokenizer, true), false)];
}
