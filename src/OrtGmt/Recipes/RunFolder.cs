using OrtGmt.Errors;
using OrtGmt.IO;
using OrtGmt.Training.Checkpoints;

namespace OrtGmt.Recipes;

/// <summary>Where a run put things.</summary>
public sealed record RunPaths(string RunDir, string ArtifactsDir, string Metrics, string FinalModelDir);

/// <summary>A run's folder: what lives where, and the checks made before anything is written into it.</summary>
internal sealed record RunFolder(string Dir)
{
    public string Metrics => Path.Combine(Dir, "metrics.jsonl");
    public string ConfigFile => Path.Combine(Dir, "run_config.json");
    public string ResultFile => Path.Combine(Dir, "result.json");
    public string ModelDir => Path.Combine(Dir, "model");
    public string DataDir => Path.Combine(Dir, "data");
    public string GeneratedArtifacts => Path.Combine(Dir, "artifacts");
    public string FinalDir => Path.Combine(Dir, "final");

    /// <summary>
    /// Checks that <c>output_dir</c> can hold this run — not a file; no earlier run's checkpoints unless
    /// resuming or told to overwrite them — creates it and records the effective config with absolute paths.
    /// </summary>
    public static RunFolder Prepare(TrainConfig config, TrainRecipe.Hooks hooks)
    {
        var run = new RunFolder(Path.GetFullPath(config.OutputDir));
        if (File.Exists(run.Dir)) throw new ConfigException("output_dir", $"'{config.OutputDir}' is a file, not a folder");
        if (config.ResumeFromCheckpoint is null && CheckpointFolders.List(run.Dir).Count > 0)
        {
            if (!config.OverwriteOutputDir)
                throw new ConfigException("output_dir", $"'{config.OutputDir}' already holds checkpoints of an earlier run; resume it (resume_from_checkpoint: \"latest\", --resume latest), "
                    + "choose another output_dir, or set overwrite_output_dir (--overwrite) to delete them");
            foreach (var (_, dir) in CheckpointFolders.List(run.Dir)) Directory.Delete(dir, recursive: true);
            hooks.OnInfo?.Invoke($"deleted the earlier run's checkpoints in {Display(run.Dir)}");
        }
        Directory.CreateDirectory(run.Dir);
        // Absolute paths, so `ortgmt train --config RUN/run_config.json` repeats the run from any folder.
        AtomicFile.WriteAllText(run.ConfigFile, config.WithPathsFrom(Environment.CurrentDirectory).ToJson());
        return run;
    }

    /// <summary>A path as messages show it: relative to the working folder when inside it.</summary>
    public static string Display(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
