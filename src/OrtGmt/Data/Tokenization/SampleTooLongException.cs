using OrtGmt.Errors;

namespace OrtGmt.Data.Tokenization;

/// <summary>A sample longer than the maximum sequence length under the <see cref="TruncationPolicy.Error"/> policy (never skipped by skip-bad).</summary>
public sealed class SampleTooLongException(string path, string problem, long line) : InvalidFileException(path, problem, line);
