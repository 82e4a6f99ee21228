using OrtGmt.Errors;

namespace OrtGmt.Tokenizers;

/// <summary>Picks and loads a tokenizer from a name, a file or a model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads <paramref name="pathOrName"/>: <c>byte</c> (or null/empty) gives the built-in
    /// <see cref="ByteTokenizer"/>; a <c>tokenizer.json</c> file, a <c>*.model</c> SentencePiece file,
    /// or a folder holding one of them (tokenizer.json preferred) gives that tokenizer, with special
    /// tokens and chat template from tokenizer_config.json / special_tokens_map.json beside it.
    /// </summary>
    public static ITextTokenizer Load(string? pathOrName)
    {
        if (string.IsNullOrWhiteSpace(pathOrName) || pathOrName == ByteTokenizer.BuiltInName) return ByteTokenizer.Instance;
        string file;
        if (Directory.Exists(pathOrName))
        {
            string json = Path.Combine(pathOrName, "tokenizer.json");
            string model = Path.Combine(pathOrName, "tokenizer.model");
            if (File.Exists(json)) file = json;
            else if (File.Exists(model)) file = model;
            else throw new OrtGmtException($"{pathOrName}: no tokenizer.json or tokenizer.model in this folder");
        }
        else if (File.Exists(pathOrName)) file = pathOrName;
        else throw new OrtGmtException($"tokenizer '{pathOrName}' not found (give 'byte', a tokenizer.json, a tokenizer.model or a folder holding one)");

        string folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var special = SpecialTokenConfig.Read(folder);
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return HfBpeTokenizer.Load(file, special);
        if (file.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return SentencePieceTextTokenizer.Load(file, special);
        throw new InvalidFileException(file, "unknown tokenizer file kind (expected tokenizer.json or a SentencePiece .model)");
    }
}
