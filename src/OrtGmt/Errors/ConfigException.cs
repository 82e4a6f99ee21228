namespace OrtGmt.Errors;

/// <summary>
/// A configuration value that is missing, unknown, of the wrong type or out of range. A name that
/// starts with "--" is a command-line flag and is called a flag; any other is a config field.
/// </summary>
public class ConfigException : OrtGmtException
{
    /// <summary>The field at fault as a config file spells it (<c>mask_ratio</c>), or the flag (<c>--ratio</c>).</summary>
    public string Field { get; }

    /// <summary>What is wrong with the value, without the field's name or the location.</summary>
    public string Problem { get; }

    /// <summary>The config file (or other source) the value came from, when known.</summary>
    public string? ConfigFile { get; }

    /// <summary>The 1-based line of the field in <see cref="ConfigFile"/>, when known.</summary>
    public long? Line { get; }

    /// <summary>Creates the error for <paramref name="field"/>, located in <paramref name="source"/> at <paramref name="line"/> when known.</summary>
    public ConfigException(string field, string problem, string? source = null, long? line = null)
        : this(field, problem, source, line, $"{KindOf(field)} '{field}': {problem}") { }

    private ConfigException(string field, string problem, string? source, long? line, string text)
        : base(Where(source, line) + text)
    {
        Field = field;
        Problem = problem;
        ConfigFile = source;
        Line = line;
    }

    /// <summary>A field the config type does not have, with the closest known name when one is close.</summary>
    public static ConfigException Unknown(string field, string? suggestion, string? source = null, long? line = null)
    {
        string problem = suggestion is null ? "unknown field" : $"unknown field, did you mean '{suggestion}'?";
        string text = suggestion is null ? $"unknown {KindOf(field)} '{field}'" : $"unknown {KindOf(field)} '{field}', did you mean '{suggestion}'?";
        return new ConfigException(field, problem, source, line, text);
    }

    /// <summary>The same problem, reported against the flag that set the field.</summary>
    public ConfigException AsFlag(string flag) => new(flag, Problem);

    private static string KindOf(string name) => name.StartsWith('-') ? "flag" : "field";

    private static string Where(string? source, long? line) =>
        source is null ? "" : line is null ? $"{source}: " : $"{source}:{line}: ";
}
