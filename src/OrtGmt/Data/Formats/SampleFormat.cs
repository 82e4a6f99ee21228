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
