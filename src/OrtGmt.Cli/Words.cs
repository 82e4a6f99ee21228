using System.Globalization;

namespace OrtGmt.Cli;

/// <summary>Counted nouns in messages: "1 layer", "2 layers", "107,520 parameters".</summary>
internal static class Words
{
    public static string Count(long count, string noun) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? "" : "s");
}
