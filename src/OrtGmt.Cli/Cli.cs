using System.CommandLine;
using OrtGmt.Errors;

namespace OrtGmt.Cli;

/// <summary>Runs commands with the exit-code contract: 0 ok, 1 user error (one `error:` line), 2 internal error.</summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int UserError = 1;
    public const int InternalError = 2;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>; a bad command line is a user error.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (args.Length == 0 || parsed.Errors.Count == 0) return parsed.Invoke();
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
        Console.Error.WriteLine($"see '{CommandPath(parsed.CommandResult)} --help'");
        return UserError;
    }

    /// <summary>"ortgmt data synth": the command as typed, whatever the executable is called.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is System.CommandLine.Parsing.CommandResult c; r = c.Parent) names.Add(c.Command.Name);
        names[^1] = "ortgmt";
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Wraps a command body: user errors and file-system failures print one clear line, bugs print the stack.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OrtGmtException e)
        {
            return Fail(e.Message);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            return Fail($"(ONNX Runtime) {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk, the permissions or a path the user gave: their message names the path ("No space left on device : '/runs/x'").
            return Fail(e.Message);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e}");
            return InternalError;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return UserError;
    }
}
