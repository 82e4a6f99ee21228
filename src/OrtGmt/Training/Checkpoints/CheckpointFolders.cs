using System.Globalization;

namespace OrtGmt.Training.Checkpoints;

/// <summary>
/// Checkpoint folders of a run: <c>checkpoint-000100</c> under the run folder, newest found by
/// step number, older ones pruned to the last K only after a newer one is complete.
/// </summary>
public static class CheckpointFolders
{
    private const string Prefix = "checkpoint-";

    /// <summary>The folder of the checkpoint at <paramref name="step"/>.</summary>
    public static string PathFor(string runDir, long step) =>
        Path.Combine(runDir, Prefix + step.ToString("D6", CultureInfo.InvariantCulture));

    /// <summary>Complete checkpoints of the run, oldest first.</summary>
    public static IReadOnlyList<(long Step, string Path)> List(string runDir)
    {
        if (!Directory.Exists(runDir)) return [];
        var list = new List<(long, string)>();
        foreach (var dir in Directory.GetDirectories(runDir, Prefix + "*"))
        {
            string name = Path.GetFileName(dir);
            if (long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step)
                && File.Exists(Path.Combine(dir, GmtCheckpointState.ModelFile)))
                list.Add((step, dir));
        }
        return [.. list.OrderBy(c => c.Item1)];
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public static string? Latest(string runDir) => List(runDir) is { Count: > 0 } l ? l[^1].Path : null;

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints.</summary>
    public static void Prune(string runDir, int keep)
    {
        var all = List(runDir);
        for (int i = 0; i < all.Count - keep; i++) Directory.Delete(all[i].Path, recursive: true);
    }
}
