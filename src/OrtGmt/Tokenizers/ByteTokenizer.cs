using System.Text;
using OrtGmt.Errors;

namespace OrtGmt.Tokenizers;

/// <summary>
/// The built-in byte-level tokenizer of the tiny models: ids 0..255 are the UTF-8 bytes of the text,
/// then BOS = 256, EOS = 257, PAD = 258 (vocabulary 259). Needs no file, never meets an unknown token.
/// </summary>
public sealed class ByteTokenizer : ITextTokenizer
{
    /// <summary>Number of byte ids.</summary>
    public const int ByteCount = 256;

    /// <summary>The BOS id.</summary>
    public const int Bos = 256;

    /// <summary>The EOS id.</summary>
    public const int Eos = 257;

    /// <summary>The PAD id.</summary>
    public const int Pad = 258;

    /// <summary>The vocabulary size (bytes plus the three special ids).</summary>
    public const int Size = 259;

    /// <summary>The name <see cref="TokenizerLoader"/> accepts for this tokenizer.</summary>
    public const string BuiltInName = "byte";

    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static ByteTokenizer Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "byte-level (built-in)";

    /// <inheritdoc />
    public int VocabSize => Size;

    /// <inheritdoc />
    public int? BosId => Bos;

    /// <inheritdoc />
    public int? EosId => Eos;

    /// <inheritdoc />
    public int PadId => Pad;

    /// <summary>Null: the byte tokenizer has no text spelling of BOS, so templates get it as an id.</summary>
    public string? BosToken => null;

    /// <summary>Null: the byte tokenizer has no text spelling of EOS, so templates get it as an id.</summary>
    public string? EosToken => null;

    /// <inheritdoc />
    public string? ChatTemplate => null;

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var ids = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) ids[i] = bytes[i];
        return ids;
    }

    /// <summary>Decodes byte ids as UTF-8 (invalid sequences become U+FFFD); BOS, EOS and PAD are skipped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id is < 0 or >= Size) throw new OrtGmtException($"token id {id} is outside the byte tokenizer's vocabulary (0..{Size - 1})");
            if (id < ByteCount) bytes.Add((byte)id);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
