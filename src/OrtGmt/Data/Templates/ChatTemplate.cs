using OrtGmt.Data.Formats;
using OrtGmt.Tokenizers;

namespace OrtGmt.Data.Templates;

/// <summary>
/// Renders a conversation into segments whose trained flags give the loss mask: assistant turns
/// (with the end-of-turn marker, so the model learns to stop) are trained, everything else is not.
/// </summary>
public abstract class ChatTemplate
{
    /// <summary>The template's name for logs (chatml, llama2, plain, or jinja:&lt;source&gt;).</summary>
    public abstract string Name { get; }

    /// <summary>Renders <paramref name="messages"/> for training.</summary>
    public abstract IReadOnlyList<TemplateSegment> Render(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer);

    /// <summary>
    /// Renders <paramref name="messages"/> (ending with a user turn) followed by the start of an
    /// assistant turn: the prompt a model continues at generation time.
    /// </summary>
    public abstract IReadOnlyList<TemplateSegment> RenderPrompt(IReadOnlyList<ChatMessage> messages, ITextTokenizer tokenizer);
}
