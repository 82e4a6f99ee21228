using OrtGmt.Data.Formats;
using OrtGmt.Errors;
using OrtGmt.Tokenizers;

namespace OrtGmt.Data.Templates;

/// <summary>
/// plain: <c>[BOS] system\n\n user\n assistant[EOS]</c> — the default for the byte-level models.
/// </summary>
public sealed class PlainTemplate : ChatTemplate
{
    /// <inheritdoc />
    public override string Name => "plain";

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> Render(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer, prompt: false);

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> RenderPrompt(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer, prompt: true);

    private static List<TemplateSegment> Build(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer, bool prompt)
    {
        var s = new List<TemplateSegment>();
        if (tokenizer.BosId is { } bos) s.Add(TemplateSegment.Special(bos, false));
        foreach (var m in messages)
        {
            switch (m.Role)
            {
                case ChatMessage.System: s.Add(TemplateSegment.Of(m.Content + "\n\n", false)); break;
                case ChatMessage.User: s.Add(TemplateSegment.Of(m.Content + "\n", false)); break;
                default:
                    s.Add(TemplateSegment.Of(m.Content, true));
                    BuiltIn.AddEos(s, tokenizer, null);
                    break;
            }
        }
        return s;
    }
}

/// <summary>ChatML (Qwen and others): <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per turn.</summary>
public sealed class ChatMlTemplate : ChatTemplate
{
    private const string Start = "<|im_start|>";
    private const string End = "<|im_end|>";

    /// <inheritdoc />
    public override string Name => "chatml";

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> Render(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer, prompt: false);

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> RenderPrompt(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer, prompt: true);

    private static List<TemplateSegment> Build(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer, bool prompt)
    {
        var s = new List<TemplateSegment>();
        foreach (var m in messages)
        {
            if (m.Role == ChatMessage.Assistant)
            {
                s.Add(TemplateSegment.Of($"{Start}assistant\n", false));
                s.Add(TemplateSegment.Of(m.Content + End, true));
                BuiltIn.AddEos(s, tokenizer, End);
                s.Add(TemplateSegment.Of("\n", false));
            }
            else
            {
                s.Add(TemplateSegment.Of($"{Start}{m.Role}\n{m.Content}{End}\n", false));
            }
        }
        if (prompt) s.Add(TemplateSegment.Of($"{Start}assistant\n", false));
        return s;
    }
}

/// <summary>
/// Llama 2 chat: <c>[BOS][INST] &lt;&lt;SYS&gt;&gt;…&lt;&lt;/SYS&gt;&gt; user [/INST] assistant [EOS]</c>, as in Meta's template.
/// </summary>
public sealed class Llama2Template : ChatTemplate
{
    /// <inheritdoc />
    public override string Name => "llama2";

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> Render(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer);

    /// <inheritdoc />
    public override IReadOnlyList<TemplateSegment> RenderPrompt(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer) => Build(messages, tokenizer);

    private static List<TemplateSegment> Build(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer)
    {
        var s = new List<TemplateSegment>();
        string? system = null;
        foreach (var m in messages)
        {
            switch (m.Role)
            {
                case ChatMessage.System:
                    system = m.Content;
                    break;
                case ChatMessage.User:
                    if (tokenizer.BosId is { } bos) s.Add(TemplateSegment.Special(bos, false));
                    string sys = system is null ? "" : $"<<SYS>>\n{system}\n<</SYS>>\n\n";
                    system = null;
                    s.Add(TemplateSegment.Of($"[INST] {sys}{m.Content.Trim()} [/INST]", false));
                    break;
                default:
                    s.Add(TemplateSegment.Of($" {m.Content.Trim()} ", true));
                    BuiltIn.AddEos(s, tokenizer, null);
                    break;
            }
        }
        return s;
    }
}

/// <summary>Lookup of the built-in templates and shared helpers.</summary>
public static class BuiltIn
{
    /// <summary>The option that picks the tokenizer's own template, else plain.</summary>
    public const string Auto = "auto";

    /// <summary>The names of the built-in templates.</summary>
    public static IReadOnlyList<string> Names { get; } = ["plain", "chatml", "llama2"];

    /// <summary>The built-in template called <paramref name="name"/>, or null.</summary>
    public static ChatTemplate? Find(string name) => name.ToLowerInvariant() switch
    {
        "plain" => new PlainTemplate(),
        "chatml" => new ChatMlTemplate(),
        "llama2" => new Llama2Template(),
        _ => null,
    };

    /// <summary>
    /// Appends a trained EOS id after an assistant turn, unless the turn already ends with the
    /// tokenizer's EOS text (<paramref name="turnEnd"/>), so generation learns where to stop.
    /// </summary>
    internal static void AddEos(List<TemplateSegment> s, ITextTokenizer tokenizer, string? turnEnd)
    {
        if (turnEnd is not null && tokenizer.EosToken == turnEnd) return;
        if (tokenizer.EosId is { } eos) s.Add(TemplateSegment.Special(eos, true));
    }

    /// <summary>Resolves a template option: auto (tokenizer's own, else plain), a built-in name, or a file.</summary>
    public static ChatTemplate Resolve(string? option, ITextTokenizer tokenizer)
    {
        if (string.IsNullOrWhiteSpace(option) || option == Auto)
            return tokenizer.ChatTemplate is { } own ? new JinjaChatTemplate(own, "tokenizer_config.json") : new PlainTemplate();
        if (Find(option) is { } builtIn) return builtIn;
        if (!File.Exists(option)) throw new OrtGmtException($"chat template '{option}' is neither a built-in ({string.Join(", ", Names)}) nor a file");
        if (option.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            string template = SpecialTokenConfig.ReadFile(option, SpecialTokenConfig.Empty).ChatTemplate
                ?? throw new InvalidFileException(option, "no 'chat_template' field");
            return new JinjaChatTemplate(template, option);
        }
        return new JinjaChatTemplate(File.ReadAllText(option), option);
    }
}
