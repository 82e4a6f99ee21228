using OrtGmt.Layout;
using OrtGmt.Masking;

namespace OrtGmt.Tests.Masking;

public class HftPolicyTests
{
    internal static ParameterEntry[] TinyTransformer()
    {
        var list = new List<ParameterEntry>();
        long offset = 0;
        void Add(string name, long[] shape, ParameterCategory c, int? layer)
        {
            long n = shape.Aggregate(1L, (a, d) => a * d);
            list.Add(new ParameterEntry { Name = name, Shape = shape, Offset = offset, Numel = n, Category = c, Layer = layer, Grad = name + "_grad" });
            offset += n;
        }
        Add("embed", [16, 8], ParameterCategory.Embed, null);
        for (int l = 0; l < 3; l++)
        {
            Add($"l{l}.ln1", [8], ParameterCategory.Norm, l);
            foreach (var p in new[] { "q", "k", "v", "o" }) Add($"l{l}.attn.{p}", [8, 8], ParameterCategory.Attn, l);
            Add($"l{l}.attn.q_bias", [8], ParameterCategory.Attn, l);
            foreach (var p in new[] { "up", "gate", "down" }) Add($"l{l}.mlp.{p}", [8, 4], ParameterCategory.Mlp, l);
        }
        Add("head", [8, 16], ParameterCategory.Head, null);
        return [.. list];
    }

    [Test]
    public void FreezesHalfOfEachLayersMatricesPerCategory()
    {
        var ps = TinyTransformer();
        var policy = new HftPolicy(ps, seed: 1);
        for (int l = 0; l < 3; l++)
        {
            int attn = ps.Select((p, i) => (p, i)).Count(x => x.p.Layer == l && x.p.Category == ParameterCategory.Attn && policy.Frozen[x.i]);
            int mlp = ps.Select((p, i) => (p, i)).Count(x => x.p.Layer == l && x.p.Category == ParameterCategory.Mlp && policy.Frozen[x.i]);
            Assert.That(attn, Is.EqualTo(2), $"layer {l}: 2 of 4 attention matrices");
            Assert.That(mlp, Is.EqualTo(1), $"layer {l}: floor(3/2) of 3 MLP matrices");
        }
        for (int i = 0; i < ps.Length; i++)
            if (ps[i].Layer is null || ps[i].Shape.Length < 2) Assert.That(policy.Frozen[i], Is.False, ps[i].Name);
        Assert.That(policy.Ratio, Is.EqualTo((double)(3 * (2 * 64 + 32)) / ps.Sum(p => p.Numel)).Within(1e-12));
    }

    [Test]
    public void ChoiceDependsOnTheSeedOnly()
    {
        var ps = TinyTransformer();
        Assert.That(new HftPolicy(ps, 7).Frozen, Is.EqualTo(new HftPolicy(ps, 7).Frozen));
        Assert.That(Enumerable.Range(1, 5).Select(s => string.Concat(new HftPolicy(ps, (ulong)s).Frozen.Select(b => b ? '1' : '0'))).Distinct().Count(), Is.GreaterThan(1));
    }

    [Test]
    public void PlanFreezesTheChosenSegmentsAndKeepsTheRest()
    {
        var ps = TinyTransformer();
        var policy = new HftPolicy(ps, seed: 3);
        var layout = FlatLayout.FromParameters(ps);
        var plan = new GradientMask(layout, MaskedEntryMode.ZeroGrad);
        var g = MaskReference.Gaussian(layout.TotalElements, 1);
        policy.Select(g, plan);
        for (int s = 0; s < ps.Length; s++)
            Assert.That(MaskReference.KeptPerSegment(plan, g)[s], Is.EqualTo(policy.Frozen[s] ? 0 : ps[s].Numel));
    }
}
