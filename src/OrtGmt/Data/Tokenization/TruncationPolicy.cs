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

/// <summary>CLI spellings of <see cref="TruncationPolicy"/>.</summary>
public static class TruncationPolicies
{
    /// <summary>Parses error, truncate-left, truncate-right or drop.</summary>
    public static TruncationPolicy Parse(string name) => name.ToLowerInvariant() switch
    {
        "error" => TruncationPolicy.Error,
        "truncate-left" or "left" => TruncationPolicy.TruncateLeft,
        "truncate-right" or "right" => TruncationPolicy.TruncateRight,
        "drop" => TruncationPolicy.Drop,
        _ => throw new Errors.OrtGmtException($"unknown truncation policy '{name}' (expected error, truncate-left, truncate-right or drop)"),
    };
}
