using System.CommandLine;

namespace OrtGmt.Cli.Commands;

/// <summary>Every `ortgmt` subcommand, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return TrainCommand.Create();
        yield return InitModelCommand.Create();
        yield return ArtifactsCommand.Create();
        yield return GradCommand.Create();
        yield return StepCommand.Create();
        yield return DataCommand.Create();
        yield return DropCommand.Create();
    }
}
