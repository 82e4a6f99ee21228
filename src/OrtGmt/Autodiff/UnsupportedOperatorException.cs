using OrtGmt.Errors;

namespace OrtGmt.Autodiff;

/// <summary>A node on a path from a trainable parameter to the loss has no gradient rule.</summary>
public sealed class UnsupportedOperatorException : GraphException
{
    /// <summary>The op type without a rule (e.g. <c>Hardmax</c>).</summary>
    public string OpType { get; }

    /// <summary>The name of the offending node.</summary>
    public string NodeName { get; }

    /// <summary>The trainable parameters whose gradient would flow through the node.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>Creates the error for one node.</summary>
    public UnsupportedOperatorException(string opType, string nodeName, IReadOnlyList<string> parameters, string? detail = null)
        : base(Format(opType, nodeName, parameters, detail))
    {
        OpType = opType;
        NodeName = nodeName;
        Parameters = parameters;
    }

    private const int MaxNamedParameters = 8;

    private static string Format(string opType, string nodeName, IReadOnlyList<string> parameters, string? detail)
    {
        string names = string.Join(", ", parameters.Take(MaxNamedParameters).Select(p => $"'{p}'"));
        if (parameters.Count > MaxNamedParameters) names += $" and {parameters.Count - MaxNamedParameters} more";
        return $"cannot differentiate op '{opType}' (node '{nodeName}'): it lies on the path from parameter(s) {names} to the loss"
            + (detail is null ? " and has no gradient rule" : $": {detail}");
    }
}
