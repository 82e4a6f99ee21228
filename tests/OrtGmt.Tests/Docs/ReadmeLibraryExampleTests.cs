using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OrtGmt.Data.Batching;
using OrtGmt.Models;
using OrtGmt.Tests.Cli;
using OrtGmt.Tests.Training;
using OrtGmt.Training.Session;

namespace OrtGmt.Tests.Docs;

/// <summary>
/// The README's library example, taken from README.md as written, compiles as a new console
/// program that also imports ONNX Runtime's namespace, and runs.
/// </summary>
[NonParallelizable]
public partial class ReadmeLibraryExampleTests
{
    // What `dotnet new console` imports implicitly, plus ONNX Runtime's namespace, whose
    // TrainingSession and CheckpointState would clash with same-named library types (CS0104).
    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading.Tasks;
        global using Microsoft.ML.OnnxRuntime;
        """;

    [GeneratedRegex(@"## Using the library\s+```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex LibraryExample();

    private static string ExampleFromReadme()
    {
        var match = LibraryExample().Match(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")));
        Assert.That(match.Success, "README.md has a csharp block under '## Using the library'");
        return match.Groups["code"].Value;
    }

    private static Assembly Compile(string program)
    {
        string[] framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = framework
            .Concat([typeof(GmtTrainingSession).Assembly.Location, typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("ReadmeExample",
            [CSharpSyntaxTree.ParseText(Usings, parse), CSharpSyntaxTree.ParseText(program, parse, "README.md")],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.That(problems, Is.Empty, "the README example as a console program next to `using Microsoft.ML.OnnxRuntime;`");
        return Assembly.Load(image.ToArray());
    }

    [Test]
    public void TheReadmeLibraryExampleCompilesNextToOnnxRuntimesNamespaceAndTrains()
    {
        var program = Compile(ExampleFromReadme());

        // The files the example reads: a model folder and a batch file, in a fresh working folder.
        string dir = TestPaths.NewTempDir();
        string here = Environment.CurrentDirectory;
        try
        {
            ModelFolder.Write(Path.Combine(dir, "model"), TinyArtifacts.Config, LlamaWeights.Initialize(TinyArtifacts.Config));
            BatchFile.Write(Path.Combine(dir, "batch.safetensors"), TinyArtifacts.Batch(7));
            Environment.CurrentDirectory = dir;
            var run = CliRunner.Capture(() =>
            {
                program.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
                return 0;
            });
            Assert.That(run.Out, Does.Contain("step 0: kept ").And.Contain("step 2: kept "));
            Assert.That(File.Exists(Path.Combine(dir, "tuned.onnx")), "the tuned model is exported");
            Assert.That(File.Exists(Path.Combine(dir, "checkpoint", "model.safetensors")), "the checkpoint is saved");
        }
        finally
        {
            Environment.CurrentDirectory = here;
            TestPaths.Delete(dir);
        }
    }

    [Test]
    public void NoPublicLibraryTypeSharesANameWithAnOnnxRuntimeType()
    {
        var ours = typeof(GmtTrainingSession).Assembly.GetExportedTypes().Where(t => !t.IsNested).Select(t => t.Name);
        var ort = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace == "Microsoft.ML.OnnxRuntime").Select(t => t.Name).ToHashSet();
        Assert.That(ort, Does.Contain("TrainingSession").And.Contain("CheckpointState"), "the clash this guards against is real");
        Assert.That(ours.Where(ort.Contains), Is.Empty);
    }
}
