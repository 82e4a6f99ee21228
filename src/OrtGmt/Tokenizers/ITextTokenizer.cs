namespace OrtGmt.Tokenizers;

/// <summary>
/// Turns text into token ids and back. Encode adds no special tokens of its own (no BOS/EOS): the
/// chat template and the sample encoder decide where those go. Text that spells a registered special
/// token (e.g. <c>&lt;|im_end|&gt;</c> in a Hugging Face tokenizer) encodes to that token's id.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>A short description for logs (kind and source file).</summary>
    string Name { get; }

    /// <summary>Number of ids the model's embedding must cover (largest id + 1).</summary>
    int VocabSize { get; }

    /// <summary>The beginning-of-sequence id, when the tokenizer has one.</summary>
    int? BosId { get; }

    /// <summary>The end-of-sequence id, when the tokenizer has one.</summary>
    int? EosId { get; }

    /// <summary>The id used to pad batches (never trained on: its label is always −100).</summary>
    int PadId { get; }

    /// <summary>Text of the BOS token as chat templates spell it (<c>bos_token</c>), or null.</summary>
    string? BosToken { get; }

    /// <summary>Text of the EOS token as chat templates spell it (<c>eos_token</c>), or null.</summary>
    string? EosToken { get; }

    /// <summary>The chat template that came with the tokenizer (tokenizer_config.json), or null.</summary>
    string? ChatTemplate { get; }

    /// <summary>Encodes <paramref name="text"/> without adding special tokens.</summary>
    int[] Encode(string text);

    /// <summary>Decodes <paramref name="ids"/>; special tokens are written as their text.</summary>
    string Decode(IEnumerable<int> ids);
}
