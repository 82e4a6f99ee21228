namespace OrtGmt.Tests.Autodiff;

public class GatherGradientTests
{
    [Test]
    public void EmbeddingLookupScatterAddsRepeatedAndNegativeIndices()
    {
        var c = new GradCheck(1);
        var table = c.Double("table", [5, 3]);
        var ids = c.Long("ids", [2, 3], [0, 4, 4, -1, 2, 0], declared: ["batch", "seq"]);
        c.Output(c.G.Gather(table, ids));
        c.Check(Tolerance.Float64, table);
    }

    [Test]
    public void GatherWithScalarIndexGivesGradientToThatRowOnly()
    {
        var c = new GradCheck(2);
        var table = c.Double("table", [4, 3]);
        c.Output(c.G.Gather(table, c.G.IntScalar(2)));
        c.Check(Tolerance.Float64, table);
    }

    [TestCase(1)]
    [TestCase(-1)]
    public void GatherOnAnotherAxisMatchesFiniteDifferences(long axis)
    {
        var c = new GradCheck(3);
        var x = c.Double("x", [2, 4, 3]);
        var ids = c.Long("ids", [2, 2], [0, 2, 2, 1]);
        c.Output(c.G.Gather(x, ids, axis));
        c.Check(Tolerance.Float64, x);
    }

    [Test]
    public void GatherElementsScatterAddsBack()
    {
        var c = new GradCheck(4);
        var x = c.Double("x", [3, 4]);
        var ids = c.Long("ids", [3, 2], [0, 3, 3, 3, 1, 0]);
        c.Output(c.G.GatherElements(x, ids, 1));
        c.Check(Tolerance.Float64, x);
    }
}
