namespace OrtGmt.Tests;

/// <summary>Temporary folders and the repository's committed fixtures.</summary>
public static class TestPaths
{
    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ortgmt-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Deletes a folder made by <see cref="NewTempDir"/>.</summary>
    public static void Delete(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>The repository root (the folder holding OrtGmt.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>A path under the repository's artifacts/ folder.</summary>
    public static string Artifact(params string[] parts) => Path.Combine([RepoRoot, "artifacts", .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrtGmt.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OrtGmt.sln not found above " + AppContext.BaseDirectory);
    }
}
