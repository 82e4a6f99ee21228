using OrtGmt.Cli.Commands;
using Spectre.Console;

namespace OrtGmt.Tests.Cli;

/// <summary>What a command printed and returned.</summary>
public sealed record CliRun(int Code, string Out, string Err)
{
    /// <summary>The output lines of both streams (for width checks).</summary>
    public IEnumerable<string> Lines => (Out + Err).Split('\n');
}

/// <summary>
/// Runs `ortgmt` commands in-process with standard output and error captured, so an expected
/// `error:` line lands in the result instead of the test log.
/// </summary>
public static class CliRunner
{
    public static CliRun Run(params string[] args)
    {
        var root = new System.CommandLine.RootCommand();
        foreach (var c in CommandCatalog.All()) root.Add(c);
        return Capture(() => OrtGmt.Cli.Cli.Invoke(root, args));
    }

    /// <summary>Runs <paramref name="body"/> (a command, or <c>Cli.Guard</c> around one) with both streams captured.</summary>
    public static CliRun Capture(Func<int> body)
    {
        var (oldOut, oldErr, oldAnsi) = (Console.Out, Console.Error, AnsiConsole.Console);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(o),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        try
        {
            int code = body();
            return new CliRun(code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            AnsiConsole.Console = oldAnsi;
        }
    }
}
