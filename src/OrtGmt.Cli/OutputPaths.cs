using OrtGmt.Errors;

namespace OrtGmt.Cli;

/// <summary>Checks on where a command is told to write, so a wrong kind of path is one clear error before any work is done.</summary>
internal static class OutputPaths
{
    /// <summary>A folder the command writes into: it may exist, but not as a file.</summary>
    public static string Folder(string path, string flag) =>
        System.IO.File.Exists(path) ? throw new ConfigException(flag, $"'{path}' is a file; give a folder") : path;

    /// <summary>A file the command writes: it may exist, but not as a folder. Its folder is created.</summary>
    public static string File(string path, string flag)
    {
        if (Directory.Exists(path)) throw new ConfigException(flag, $"'{path}' is a folder; give a file name");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            if (System.IO.File.Exists(folder)) throw new ConfigException(flag, $"'{folder}' is a file, so '{path}' cannot be written inside it");
            Directory.CreateDirectory(folder);
        }
        return path;
    }
}
