using System.Text.Json;
using OrtGmt.Config;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Runtime;

namespace OrtGmt.Tests.Config;

public class EnumSpellingTests
{
    [Test]
    public void EveryTypedConfigValueHasTheSpellingConfigsAndFilesUse()
    {
        Assert.That(EnumSpelling.All<OptimizerKind>(), Is.EqualTo(new[] { "adamw", "sgd" }));
        Assert.That(EnumSpelling.All<TrainingMethod>(), Is.EqualTo(new[] { "sft", "gmt", "rmt", "hft" }));
        Assert.That(EnumSpelling.All<MaskScope>(), Is.EqualTo(new[] { "tensor", "global" }));
        Assert.That(EnumSpelling.All<MaskedEntryMode>(), Is.EqualTo(new[] { "freeze", "zero-grad" }));
        Assert.That(EnumSpelling.All<ScheduleKind>(), Is.EqualTo(new[] { "cosine", "linear", "constant" }));
        Assert.That(EnumSpelling.All<ExecutionDevice>(), Is.EqualTo(new[] { "cpu", "cuda" }));
        Assert.That(EnumSpelling.All<TruncationPolicy>(), Is.EqualTo(new[] { "error", "truncate-left", "truncate-right", "drop" }));
        Assert.That(EnumSpelling.All<ParameterCategory>(), Is.EqualTo(new[] { "embed", "attn", "mlp", "norm", "head", "other" }));
    }

    [Test]
    public void JsonWritesAndReadsTheSameSpellings()
    {
        Assert.That(JsonSerializer.Serialize(MaskedEntryMode.ZeroGrad), Is.EqualTo("\"zero-grad\""));
        Assert.That(JsonSerializer.Serialize(OptimizerKind.AdamW), Is.EqualTo("\"adamw\""));
        Assert.That(JsonSerializer.Deserialize<TruncationPolicy>("\"truncate-left\""), Is.EqualTo(TruncationPolicy.TruncateLeft));
        foreach (var method in Enum.GetValues<TrainingMethod>())
            Assert.That(EnumSpelling.Parse<TrainingMethod>(JsonSerializer.Serialize(method).Trim('"'), "method"), Is.EqualTo(method));
    }

    [Test]
    public void ParsingIgnoresCase()
    {
        Assert.That(EnumSpelling.Parse<OptimizerKind>("AdamW", "optimizer"), Is.EqualTo(OptimizerKind.AdamW));
        Assert.That(EnumSpelling.Parse<MaskedEntryMode>("Zero-Grad", "mask_mode"), Is.EqualTo(MaskedEntryMode.ZeroGrad));
    }

    [Test]
    public void AnUnknownSpellingNamesTheFieldAndTheChoices()
    {
        var e = Assert.Throws<ConfigException>(() => EnumSpelling.Parse<MaskedEntryMode>("zero_grad", "mask_mode"))!;
        Assert.That(e.Field, Is.EqualTo("mask_mode"));
        Assert.That(e.Message, Does.Contain("'zero_grad'").And.Contain("freeze, zero-grad"));
        Assert.That(EnumSpelling.TryParse("ZeroGrad", out MaskedEntryMode _), Is.False, "only the spelling, not the C# member name");
    }
}
