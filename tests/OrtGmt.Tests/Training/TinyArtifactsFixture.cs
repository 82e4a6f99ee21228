using OrtGmt.Artifacts;

namespace OrtGmt.Tests.Training;

/// <summary>A test class that shares one folder of <see cref="TinyArtifacts"/> across its tests.</summary>
public abstract class TinyArtifactsFixture
{
    /// <summary>A temporary folder for the class, deleted after its last test.</summary>
    protected string Dir { get; private set; } = "";

    /// <summary>The artifact folder (inside <see cref="Dir"/>).</summary>
    protected string Artifacts { get; private set; } = "";

    /// <summary>The artifacts' manifest.</summary>
    protected ArtifactManifest Manifest { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateArtifacts()
    {
        Dir = TestPaths.NewTempDir();
        Artifacts = TinyArtifacts.Create(Path.Combine(Dir, "tiny"));
        Manifest = ArtifactManifest.Load(Path.Combine(Artifacts, ArtifactManifest.FileName));
    }

    [OneTimeTearDown]
    public void DeleteArtifacts() => TestPaths.Delete(Dir);
}
