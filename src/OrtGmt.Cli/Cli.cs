using System.CommandLine;
using OrtGmt.Errors;

namespace OrtGmt.Cli;

/// <summary>Runs commands with the exit-code contract: 0 ok, 1 user error, 2 internal error.</summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int UserError = 1;
    public const int InternalError = 2;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        return parsed.Invoke();
    }

    /// <summary>Wraps a command body: user errors print one clear line, bugs print the stack.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OrtGmtException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            Console.Error.WriteLine($"error (ONNX Runtime): {e.Message}");
            return UserError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e}");
            return InternalError;
        }
    }
}
