namespace OrtGmt.Errors;

/// <summary>
/// A problem the user can act on: bad input, a bad file, an unsupported model. The CLI prints
/// its message without a stack trace and exits with code 1; any other exception is a bug (code 2).
/// </summary>
public class OrtGmtException : Exception
{
    /// <summary>Creates the error with a message that says what is wrong and where.</summary>
    public OrtGmtException(string message) : base(message) { }

    /// <summary>Creates the error, keeping the low-level cause for diagnostics.</summary>
    public OrtGmtException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A file that cannot be read as what it claims to be (truncated, corrupted, out of bounds).</summary>
public class InvalidFileException : OrtGmtException
{
    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line where the problem is, for line-oriented formats.</summary>
    public long? Line { get; }

    /// <summary>Creates the error for <paramref name="path"/> (and <paramref name="line"/>, when known).</summary>
    public InvalidFileException(string path, string problem, long? line = null, Exception? inner = null)
        : base(Format(path, problem, line), inner ?? new Exception(problem))
    {
        FilePath = path;
        Line = line;
    }

    private static string Format(string path, string problem, long? line) =>
        line is null ? $"{path}: {problem}" : $"{path}:{line}: {problem}";
}

/// <summary>An ONNX graph that cannot be used as asked (a missing input, a bad node, an unsupported op).</summary>
public class GraphException : OrtGmtException
{
    /// <summary>Creates the error; the message should name the node or tensor involved.</summary>
    public GraphException(string message) : base(message) { }
}
