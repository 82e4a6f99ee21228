using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;

namespace OrtGmt.Tests.Cli;

/// <summary>The dotnet tool package: one per platform, carrying that platform's native libraries only.</summary>
public class ToolPackageTests
{
    private const long MaxPackageBytes = 40L << 20;

    [Test]
    public void TheLinuxX64ToolPackageCarriesOnlyLinuxX64Natives()
    {
        string output = TestPaths.NewTempDir();
        try
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet, ["pack", Path.Combine(TestPaths.RepoRoot, "src", "OrtGmt.Cli"), "-c", "Release", "-o", output,
                "--disable-build-servers", "-nodeReuse:false"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = Process.Start(start)!;
            var log = pack.StandardOutput.ReadToEndAsync();
            string errors = pack.StandardError.ReadToEnd();
            pack.WaitForExit();
            Assert.That(pack.ExitCode, Is.Zero, log.Result + errors);

            string version = typeof(OrtGmt.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
            string rid = Path.Combine(output, $"OrtGmt.Cli.linux-x64.{version}.nupkg");
            Assert.That(File.Exists(rid), Is.True, string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName)));
            Assert.That(new FileInfo(rid).Length, Is.LessThan(MaxPackageBytes), "one platform's natives, not every platform's (350 MB)");
            using var zip = ZipFile.OpenRead(rid);
            var natives = zip.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".so", StringComparison.Ordinal) || n.EndsWith(".dll", StringComparison.Ordinal) && n.Contains("native", StringComparison.Ordinal) || n.EndsWith(".dylib", StringComparison.Ordinal)).ToList();
            Assert.That(natives, Has.Some.Contains("libonnxruntime.so"));
            Assert.That(natives, Has.None.Contains("win-").And.None.Contains("osx-").And.None.Contains("arm64"), string.Join("\n", natives));
        }
        finally
        {
            TestPaths.Delete(output);
        }
    }
}
