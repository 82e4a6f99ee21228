using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using OrtGmt.Config;

namespace OrtGmt.Cli;

/// <summary>
/// Flags whose values are parsed the way config files read them: numbers in the invariant culture
/// with no thousands separators ("0,001" is an error, not 1), choices by their <see cref="EnumSpelling"/>s.
/// Errors name the flag.
/// </summary>
internal static class Flags
{
    /// <summary>A numeric flag; <paramref name="fallback"/> is its value when not given.</summary>
    public static Option<T> Number<T>(string name, string description, T fallback = default) where T : struct, INumber<T>
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.CustomParser = result => ParseNumber<T>(result, name) ?? default;
        return option;
    }

    /// <summary>A required numeric flag.</summary>
    public static Option<T> RequiredNumber<T>(string name, string description) where T : struct, INumber<T>
    {
        var option = new Option<T>(name) { Description = description, Required = true };
        option.CustomParser = result => ParseNumber<T>(result, name) ?? default;
        return option;
    }

    /// <summary>A numeric flag that is null when not given (an override).</summary>
    public static Option<T?> OptionalNumber<T>(string name, string description) where T : struct, INumber<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.CustomParser = result => ParseNumber<T>(result, name);
        return option;
    }

    /// <summary>A flag taking one of <typeparamref name="T"/>'s spellings; the description lists them.</summary>
    public static Option<T> Choice<T>(string name, string description, T fallback) where T : struct, Enum
    {
        var option = new Option<T>(name) { Description = Describe<T>(description), DefaultValueFactory = _ => fallback };
        option.CustomParser = result => ParseChoice<T>(result, name) ?? fallback;
        return option;
    }

    /// <summary>A choice flag that is null when not given (an override).</summary>
    public static Option<T?> OptionalChoice<T>(string name, string description) where T : struct, Enum
    {
        var option = new Option<T?>(name) { Description = Describe<T>(description) };
        option.CustomParser = result => ParseChoice<T>(result, name);
        return option;
    }

    private static string Describe<T>(string description) where T : struct, Enum =>
        $"{description}: {string.Join(" | ", EnumSpelling.All<T>())}";

    private static T? ParseNumber<T>(ArgumentResult result, string name) where T : struct, INumber<T>
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        bool real = typeof(T) == typeof(double) || typeof(T) == typeof(float);
        var style = real ? NumberStyles.Float : NumberStyles.Integer;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) && (!real || T.IsFinite(value))) return value;
        string hint = real && text.Contains(',') ? $" (write decimals with a point: {text.Replace(',', '.')})" : "";
        result.AddError($"flag '{name}': expected {ConfigJson.Expected(typeof(T))}, got '{text}'{hint}");
        return null;
    }

    private static T? ParseChoice<T>(ArgumentResult result, string name) where T : struct, Enum
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (EnumSpelling.TryParse(text, out T value)) return value;
        result.AddError($"flag '{name}': {EnumSpelling.NotOneOf(typeof(T), text)}");
        return null;
    }
}
