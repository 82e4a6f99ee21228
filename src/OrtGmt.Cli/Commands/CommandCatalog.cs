using System.CommandLine;

namespace OrtGmt.Cli.Commands;

/// <summary>Every `ortgmt` subcommand, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return InitModelCommand.Create();
        yield return DropCommand.Create();
    }
}
