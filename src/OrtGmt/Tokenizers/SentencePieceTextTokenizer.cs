using Microsoft.ML.Tokenizers;
using OrtGmt.Errors;

namespace OrtGmt.Tokenizers;

/// <summary>
/// A SentencePiece tokenizer.model (Llama 2, Mistral) run by Microsoft.ML.Tokenizers' LlamaTokenizer.
/// Encoding follows SentencePiece's own defaults (a dummy-prefix space before the text), and the
/// spelled special tokens (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>) in the text map to their ids.
/// </summary>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private readonly LlamaTokenizer _sp;

    private SentencePieceTextTokenizer(string path, LlamaTokenizer sp, SpecialTokenConfig special)
    {
        _sp = sp;
        Name = $"SentencePiece ({path})";
        VocabSize = sp.Vocabulary.Count;
        BosToken = special.Bos ?? sp.BeginningOfSentenceToken;
        EosToken = special.Eos ?? sp.EndOfSentenceToken;
        ChatTemplate = special.ChatTemplate;
        BosId = Id(BosToken, path, "bos_token");
        EosId = Id(EosToken, path, "eos_token");
        PadId = (special.Pad is null ? null : Id(special.Pad, path, "pad_token")) ?? EosId ?? 0;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public int? BosId { get; }

    /// <inheritdoc />
    public int? EosId { get; }

    /// <summary>The pad token's id; without one, EOS (as Llama trainers usually do), else 0.</summary>
    public int PadId { get; }

    /// <inheritdoc />
    public string? BosToken { get; }

    /// <inheritdoc />
    public string? EosToken { get; }

    /// <inheritdoc />
    public string? ChatTemplate { get; }

    /// <inheritdoc />
    public int[] Encode(string text) => [.. _sp.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false, considerPreTokenization: true, considerNormalization: true)];

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => _sp.Decode(ids, considerSpecialTokens: true);

    /// <summary>Loads the SentencePiece model at <paramref name="path"/>.</summary>
    internal static SentencePieceTextTokenizer Load(string path, SpecialTokenConfig special)
    {
        LlamaTokenizer sp;
        try
        {
            using var stream = File.OpenRead(path);
            var probe = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string? token in new[] { probe.BeginningOfSentenceToken, probe.EndOfSentenceToken, probe.UnknownToken, special.Bos, special.Eos, special.Pad })
            {
                if (token is not null && probe.Vocabulary.TryGetValue(token, out int id)) specials[token] = id;
            }
            stream.Position = 0;
            sp = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false, specialTokens: specials);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or Google.Protobuf.InvalidProtocolBufferException or NotSupportedException)
        {
            throw new InvalidFileException(path, $"not a SentencePiece model this project can load: {e.Message}", null, e);
        }
        return new SentencePieceTextTokenizer(path, sp, special);
    }

    private int? Id(string? token, string path, string field)
    {
        if (token is null) return null;
        if (_sp.Vocabulary.TryGetValue(token, out int id)) return id;
        throw new InvalidFileException(path, $"{field} '{token}' is not in the SentencePiece vocabulary");
    }
}
