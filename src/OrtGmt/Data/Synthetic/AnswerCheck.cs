using System.Globalization;
using System.Text.RegularExpressions;

namespace OrtGmt.Data.Synthetic;

/// <summary>Extracting and comparing final answers in model output.</summary>
public static partial class AnswerCheck
{
    /// <summary>The marker before a math answer (GSM8K style).</summary>
    public const string Marker = "####";

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Number();

    /// <summary>The number after the last <c>####</c> in <paramref name="output"/>, or null.</summary>
    public static string? MathAnswer(string output)
    {
        int i = output.LastIndexOf(Marker, StringComparison.Ordinal);
        if (i < 0) return null;
        var m = Number().Match(output, i + Marker.Length);
        return m.Success ? m.Value : null;
    }

    /// <summary>Whether the <c>####</c> answer in <paramref name="output"/> equals <paramref name="expected"/> numerically.</summary>
    public static bool MathCorrect(string expected, string output) =>
        MathAnswer(output) is { } got
        && double.TryParse(got, NumberStyles.Float, CultureInfo.InvariantCulture, out double g)
        && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out double e)
        && g == e;

    /// <summary>Whether the first non-empty line of <paramref name="output"/> equals <paramref name="expected"/> (trimmed).</summary>
    public static bool FirstLineCorrect(string expected, string output)
    {
        string? line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return line == expected.Trim();
    }
}
