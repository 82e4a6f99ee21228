namespace OrtGmt.Data.Formats;

/// <summary>The JSONL sample shapes the pipeline reads.</summary>
public enum SampleFormat
{
    /// <summary>Detect per file from the first valid line's fields.</summary>
    Auto,

    /// <summary><c>{instruction, input?, output}</c> (Alpaca).</summary>
    Alpaca,

    /// <summary><c>{query, response}</c> (MetaMathQA).</summary>
    Query,

    /// <summary><c>{messages: [{role, content}, …]}</c> rendered through a chat template.</summary>
    Chat,

    /// <summary><c>{prompt, completion}</c>.</summary>
    Prompt,

    /// <summary><c>{prompt, chosen, rejected}</c> preference pairs.</summary>
    Dpo,

    /// <summary><c>{text}</c>: plain text, every token trained (pretraining).</summary>
    Text,
}

/// <summary>Names of formats as the CLI spells them.</summary>
public static class SampleFormats
{
    /// <summary>The CLI name of <paramref name="format"/>.</summary>
    public static string Name(SampleFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Parses a CLI name (auto, alpaca, query, chat, prompt, dpo, text).</summary>
    public static SampleFormat Parse(string name) =>
        Enum.TryParse<SampleFormat>(name, ignoreCase: true, out var f) && !int.TryParse(name, out _)
            ? f
            : throw new Errors.OrtGmtException($"unknown data format '{name}' (expected auto, alpaca, query, chat, prompt, dpo or text)");
}
