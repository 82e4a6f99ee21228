namespace OrtGmt.Data.Templates;

/// <summary>
/// A piece of a rendered conversation: text to tokenize, or one special token given by id (for
/// tokenizers whose BOS/EOS have no text spelling, like the byte tokenizer), and whether its tokens
/// are trained (response) or only context (prompt, system, user, template markup).
/// </summary>
public readonly record struct TemplateSegment(string Text, int? SpecialId, bool Trained)
{
    /// <summary>A text segment.</summary>
    public static TemplateSegment Of(string text, bool trained) => new(text, null, trained);

    /// <summary>A special-token segment.</summary>
    public static TemplateSegment Special(int id, bool trained) => new("", id, trained);
}
