using System.CommandLine;
using OrtGmt.Cli.Commands.Data;

namespace OrtGmt.Cli.Commands;

/// <summary>`ortgmt data`: make synthetic datasets and inspect JSONL files.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Make synthetic datasets and inspect training data");
        command.Subcommands.Add(DataSynthCommand.Create());
        command.Subcommands.Add(DataInspectCommand.Create());
        return command;
    }
}
