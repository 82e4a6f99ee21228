namespace OrtGmt.Tests.Cli;

/// <summary>The exit-code contract for mistakes and file-system failures: exit 1 and one `error:` line naming what is wrong, never a stack trace.</summary>
[NonParallelizable]
public class UserErrorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => TestPaths.Delete(_dir);

    private static void AssertOneErrorLine(CliRun run, string expected)
    {
        Assert.That(run.Code, Is.EqualTo(1), run.Err);
        var lines = run.Err.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Does.StartWith("error: "));
        Assert.That(lines[0], Does.Contain(expected));
        Assert.That(run.Err, Does.Not.Contain("   at ").And.Not.Contain("internal error").And.Not.Contain("System."));
    }

    private string AFile()
    {
        string file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "not a folder");
        return file;
    }

    [Test]
    public void AnOutputFolderThatIsAFileIsOneErrorLine()
    {
        string file = AFile();
        AssertOneErrorLine(CliRunner.Run("init-model", "--out", file), $"flag '--out': '{file}' is a file; give a folder");
        AssertOneErrorLine(CliRunner.Run("artifacts", "--model", "tiny.onnx", "--out", file), $"flag '--out': '{file}' is a file; give a folder");
        AssertOneErrorLine(CliRunner.Run("train", "--output-dir", file, "--max-steps", "1"), $"flag '--output-dir': '{file}' is a file, not a folder");
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a folder"));
    }

    [Test]
    public void AFolderThatCannotBeWrittenIsOneErrorLine()
    {
        // Permissions do not stop root, so the real check runs only for other users; the mapping of
        // the exception the runtime throws for EACCES is checked either way.
        var denied = new UnauthorizedAccessException($"Access to the path '{_dir}/run' is denied.");
        AssertOneErrorLine(CliRunner.Capture(() => OrtGmt.Cli.Cli.Guard(() => throw denied)), "is denied");
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return;
        string locked = Path.Combine(_dir, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            AssertOneErrorLine(CliRunner.Run("init-model", "--out", Path.Combine(locked, "model")), "denied");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Test]
    public void NoSpaceLeftOnDeviceIsOneErrorLine()
    {
        if (!File.Exists("/dev/full")) Assert.Ignore("needs /dev/full, which fails every write with ENOSPC");
        // A real ENOSPC from the operating system, as a full disk gives it.
        var run = CliRunner.Capture(() => OrtGmt.Cli.Cli.Guard(() =>
        {
            File.WriteAllText("/dev/full", new string('x', 1 << 16));
            return 0;
        }));
        AssertOneErrorLine(run, "No space left on device");
        Assert.That(run.Err, Does.Contain("/dev/full"));
    }

    [Test]
    public void NumbersOnTheCommandLineAreInvariantAndAWrongOneNamesTheFlag()
    {
        var comma = CliRunner.Run("step", "--artifacts", _dir, "--batch", "b", "--out", "o", "--lr", "0,001");
        AssertOneErrorLine(comma, "flag '--lr': expected a number, got '0,001' (write decimals with a point: 0.001)");
        AssertOneErrorLine(CliRunner.Run("train", "--max-steps", "abc"), "flag '--max-steps': expected an integer, got 'abc'");
        AssertOneErrorLine(CliRunner.Run("train", "--mask-ratio", "NaN"), "flag '--mask-ratio': expected a number, got 'NaN'");
        AssertOneErrorLine(CliRunner.Run("data", "synth", "--task", "math", "--n", "1e3", "--out", "x"), "flag '--n': expected an integer, got '1e3'");
        AssertOneErrorLine(CliRunner.Run("drop", "--base", "a", "--tuned", "b", "--out", "c", "--ratio", "1.5"), "flag '--ratio': must be in [0, 1), got 1.5");
    }

    [Test]
    public void ARangeErrorOfAnOverridingFlagNamesTheFlag()
    {
        AssertOneErrorLine(CliRunner.Run("train", "--mask-ratio", "1.5", "--output-dir", Path.Combine(_dir, "run")), "flag '--mask-ratio': must be in [0, 1), got 1.5");
        AssertOneErrorLine(CliRunner.Run("train", "--method", "magic"), "flag '--method': 'magic' is not one of sft, gmt, rmt, hft");
    }
}
