using System.Text;
using System.Text.RegularExpressions;

namespace OrtGmt.Artifacts;

/// <summary>Shell-style globs over parameter names: <c>*</c> any run of characters, <c>?</c> one character.</summary>
public static class Globs
{
    /// <summary>True when <paramref name="name"/> matches <paramref name="glob"/> as a whole.</summary>
    public static bool Matches(string glob, string name) => ToRegex(glob).IsMatch(name);

    /// <summary>The anchored regular expression equivalent to <paramref name="glob"/>.</summary>
    public static Regex ToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        foreach (char c in glob)
        {
            sb.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
