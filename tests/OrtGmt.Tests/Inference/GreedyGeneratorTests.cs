using OrtGmt.Inference;
using OrtGmt.Models;

namespace OrtGmt.Tests.Inference;

public class GreedyGeneratorTests
{
    private string _dir = "";
    private string _model = "";

    [OneTimeSetUp]
    public void CreateModel()
    {
        _dir = TestPaths.NewTempDir();
        var c = LlamaConfig.LoadNamedOrFile("tiny") with { InitStd = 0.2 };
        ModelFolder.Write(_dir, c, LlamaWeights.Initialize(c));
        _model = Path.Combine(_dir, ModelFolder.ForwardFile);
    }

    [OneTimeTearDown]
    public void Delete() => TestPaths.Delete(_dir);

    [Test]
    public void BatchedGenerationEqualsOneRowAtATimeWhateverThePromptLengths()
    {
        int[][] prompts = [[256, 72, 105], [256, 10, 20, 30, 40, 50, 60], [256]];
        using var generator = new GreedyGenerator(_model, threads: 1);
        var batched = generator.Generate(prompts, 6, stopId: null, maxLength: 64, padId: 258);
        for (int r = 0; r < prompts.Length; r++)
        {
            var single = generator.Generate([prompts[r]], 6, stopId: null, maxLength: 64, padId: 258);
            Assert.That(batched[r], Is.EqualTo(single[0]), $"row {r}");
            Assert.That(batched[r], Has.Length.EqualTo(6));
        }
    }

    [Test]
    public void GenerationStopsAtTheStopTokenAndTheLengthLimit()
    {
        using var generator = new GreedyGenerator(_model, threads: 1);
        int[] prompt = [256, 1, 2, 3];
        var free = generator.Generate([prompt], 8, stopId: null, maxLength: 64, padId: 258)[0];
        var stopped = generator.Generate([prompt], 8, stopId: free[2], maxLength: 64, padId: 258)[0];
        Assert.That(stopped, Is.EqualTo(free.TakeWhile(t => t != free[2]).ToArray()));
        var limited = generator.Generate([prompt], 8, stopId: null, maxLength: 6, padId: 258)[0];
        Assert.That(limited, Is.EqualTo(free[..2]));
    }
}
