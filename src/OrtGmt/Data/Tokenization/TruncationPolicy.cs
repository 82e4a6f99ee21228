namespace OrtGmt.Data.Tokenization;

/// <summary>What happens to a sample longer than the maximum sequence length.</summary>
public enum TruncationPolicy
{
    /// <summary>Stop with an error naming the file and line.</summary>
    Error,

    /// <summary>Keep the last tokens (the end of the response survives; the prompt's start is cut).</summary>
    TruncateLeft,

    /// <summary>Keep the first tokens (the end of the response is cut).</summary>
    TruncateRight,

    /// <summary>Leave the sample out (counted).</summary>
    Drop,
}
