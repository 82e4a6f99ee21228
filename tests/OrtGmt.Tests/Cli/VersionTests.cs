using System.Reflection;
using OrtGmt.Artifacts;
using OrtGmt.Tests.Training;

namespace OrtGmt.Tests.Cli;

public class VersionTests
{
    [Test]
    public void ManifestsNameTheVersionThatDashDashVersionPrints()
    {
        // `ortgmt --version` prints the CLI assembly's informational version ("0.1.0+commit").
        string cli = typeof(OrtGmt.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string dir = TestPaths.NewTempDir();
        try
        {
            var manifest = ArtifactManifest.Load(Path.Combine(TinyArtifacts.Create(dir), ArtifactManifest.FileName));
            Assert.That(manifest.Generator, Is.EqualTo("ortgmt " + cli));
            Assert.That(cli, Is.Not.EqualTo("1.0.0"), "a version is set, not the SDK's default");
        }
        finally
        {
            TestPaths.Delete(dir);
        }
    }
}
