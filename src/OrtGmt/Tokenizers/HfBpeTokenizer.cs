using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using OrtGmt.Errors;

namespace OrtGmt.Tokenizers;

/// <summary>
/// A Hugging Face tokenizer.json with a byte-level BPE model (GPT-2, Llama 3, Qwen), run by
/// Microsoft.ML.Tokenizers' BpeTokenizer. The pre-tokenizer regex is the GPT-2 one, or the one of a
/// <c>Split</c> pre-tokenizer in front of <c>ByteLevel</c> (Llama 3, Qwen). Added tokens are matched
/// in the text before BPE, as Hugging Face does.
/// </summary>
public sealed class HfBpeTokenizer : ITextTokenizer
{
    /// <summary>The pre-tokenizer pattern of GPT-2's ByteLevel pre-tokenizer.</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;

    private HfBpeTokenizer(string path, BpeTokenizer bpe, int vocabSize, SpecialTokenConfig special, IReadOnlyDictionary<string, int> added)
    {
        _bpe = bpe;
        Name = $"tokenizer.json byte-level BPE ({path})";
        VocabSize = vocabSize;
        BosToken = special.Bos;
        EosToken = special.Eos;
        ChatTemplate = special.ChatTemplate;
        BosId = Lookup(special.Bos, added, path, "bos_token");
        EosId = Lookup(special.Eos, added, path, "eos_token");
        PadId = Lookup(special.Pad, added, path, "pad_token") ?? EosId ?? 0;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public int? BosId { get; }

    /// <inheritdoc />
    public int? EosId { get; }

    /// <summary>The pad token's id; without one, EOS (as Hugging Face trainers usually do), else 0.</summary>
    public int PadId { get; }

    /// <inheritdoc />
    public string? BosToken { get; }

    /// <inheritdoc />
    public string? EosToken { get; }

    /// <inheritdoc />
    public string? ChatTemplate { get; }

    /// <inheritdoc />
    public int[] Encode(string text) => [.. _bpe.EncodeToIds(text)];

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids, considerSpecialTokens: true);

    /// <summary>Loads <paramref name="path"/> (a tokenizer.json) with the special tokens of its folder.</summary>
    internal static HfBpeTokenizer Load(string path, SpecialTokenConfig special)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(path, $"not valid JSON: {e.Message}", e.LineNumber + 1, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
                throw new InvalidFileException(path, "no 'model' object");
            string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            if (type != "BPE")
                throw new InvalidFileException(path, $"model type '{type}' is not supported (only byte-level BPE; use tokenizer.model for SentencePiece)");
            string pattern = PreTokenizerPattern(root, path);

            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            if (!model.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object)
                throw new InvalidFileException(path, "model has no 'vocab' object");
            foreach (var entry in v.EnumerateObject()) vocab[entry.Name] = entry.Value.GetInt32();

            var merges = new List<string>();
            if (model.TryGetProperty("merges", out var m))
            {
                foreach (var merge in m.EnumerateArray())
                {
                    merges.Add(merge.ValueKind == JsonValueKind.Array
                        ? merge[0].GetString() + " " + merge[1].GetString()
                        : merge.GetString() ?? throw new InvalidFileException(path, "a merge is null"));
                }
            }

            var added = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var at) && at.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in at.EnumerateArray())
                    added[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
            }
            int vocabSize = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, added.Count == 0 ? 0 : added.Values.Max() + 1);
            foreach (var (content, id) in added) vocab.TryAdd(content, id);

            var options = new BpeOptions(vocab)
            {
                Merges = merges,
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), added.Count == 0 ? null : added),
                SpecialTokens = added.Count == 0 ? null : added,
            };
            BpeTokenizer bpe;
            try
            {
                bpe = BpeTokenizer.Create(options);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new InvalidFileException(path, $"cannot build the BPE tokenizer: {e.Message}", null, e);
            }
            return new HfBpeTokenizer(path, bpe, vocabSize, special, added);
        }
    }

    private static string PreTokenizerPattern(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            throw new InvalidFileException(path, "no pre_tokenizer: only byte-level BPE tokenizers are supported");
        string type = pre.GetProperty("type").GetString() ?? "";
        if (type == "ByteLevel") return Gpt2Pattern;
        if (type == "Sequence")
        {
            string? pattern = null;
            bool byteLevel = false;
            foreach (var step in pre.GetProperty("pretokenizers").EnumerateArray())
            {
                string stepType = step.GetProperty("type").GetString() ?? "";
                if (stepType == "Split" && step.GetProperty("pattern").TryGetProperty("Regex", out var regex)) pattern ??= regex.GetString();
                else if (stepType == "ByteLevel")
                {
                    byteLevel = true;
                    bool useRegex = !step.TryGetProperty("use_regex", out var ur) || ur.GetBoolean();
                    if (useRegex) pattern ??= Gpt2Pattern;
                }
                else throw new InvalidFileException(path, $"pre-tokenizer step '{stepType}' is not supported");
            }
            if (byteLevel && pattern is not null) return pattern;
        }
        throw new InvalidFileException(path, $"pre-tokenizer '{type}' is not supported: only ByteLevel, or Split(regex) + ByteLevel");
    }

    private static int? Lookup(string? token, IReadOnlyDictionary<string, int> added, string path, string field)
    {
        if (token is null) return null;
        if (added.TryGetValue(token, out int id)) return id;
        throw new InvalidFileException(path, $"{field} '{token}' is not an added token of the tokenizer");
    }
}
