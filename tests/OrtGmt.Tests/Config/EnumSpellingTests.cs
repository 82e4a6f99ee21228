using System.Text.Json;
using OrtGmt.Config;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Layout;
using OrtGmt.Masking;
using OrtGmt.Optimizers;
using OrtGmt.Recipes;
using OrtGmt.Runtime;

namespace OrtGmt.Tests.Config;

public class EnumSpellingTests
{
    private static IEnumerable<Type> SpelledEnums() =>
        typeof(EnumSpelling).Assembly.GetTypes().Where(EnumSpelling.IsSpelled);

    [Test]
    public void TheConfigFileSpellingsAreTheDocumentedOnes()
    {
        Assert.That(EnumSpelling.All<OptimizerKind>(), Is.EqualTo(new[] { "adamw", "sgd" }));
        Assert.That(EnumSpelling.All<TrainingMethod>(), Is.EqualTo(new[] { "sft", "gmt", "rmt", "hft" }));
        Assert.That(EnumSpelling.All<MaskScope>(), Is.EqualTo(new[] { "tensor", "global" }));
        Assert.That(EnumSpelling.All<MaskedEntryMode>(), Is.EqualTo(new[] { "freeze", "zero-grad" }));
        Assert.That(EnumSpelling.All<ScheduleKind>(), Is.EqualTo(new[] { "cosine", "linear", "constant" }));
        Assert.That(EnumSpelling.All<ExecutionDevice>(), Is.EqualTo(new[] { "cpu", "cuda" }));
        Assert.That(EnumSpelling.All<TruncationPolicy>(), Is.EqualTo(new[] { "error", "truncate-left", "truncate-right", "drop" }));
        Assert.That(EnumSpelling.All<SampleFormat>(), Is.EqualTo(new[] { "auto", "alpaca", "query", "chat", "prompt", "dpo", "text" }));
        Assert.That(EnumSpelling.All<ParameterCategory>(), Is.EqualTo(new[] { "embed", "attn", "mlp", "norm", "head", "other" }));
        Assert.That(EnumSpelling.Of(TruncationPolicy.TruncateRight), Is.EqualTo("truncate-right"));
    }

    [Test]
    public void EveryValueOfEverySpelledEnumHasOneDistinctSpellingThatParsesBackAndIsItsJson()
    {
        var types = SpelledEnums().ToList();
        Assert.That(types, Has.Count.GreaterThanOrEqualTo(12));
        foreach (var type in types)
        {
            var values = Enum.GetValues(type).Cast<Enum>().ToList();
            var names = EnumSpelling.All(type);
            Assert.That(names, Has.Count.EqualTo(values.Count).And.Unique, type.Name);
            for (int i = 0; i < values.Count; i++)
            {
                Assert.That(names[i], Does.Match("^[a-z][a-z0-9-]*$"), type.Name);
                Assert.That(EnumSpelling.TryParse(type, names[i], out var back), Is.True, names[i]);
                Assert.That(back, Is.EqualTo(values[i]));
                Assert.That(JsonSerializer.Serialize(values[i], type), Is.EqualTo($"\"{names[i]}\""), $"{type.Name}.{values[i]}");
                Assert.That(JsonSerializer.Deserialize($"\"{names[i]}\"", type), Is.EqualTo(values[i]));
            }
        }
    }

    [Test]
    public void EveryChoiceOfTheRunConfigIsSpelled()
    {
        var enums = typeof(TrainConfig).GetProperties().Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Where(t => t.IsEnum).ToList();
        Assert.That(enums, Is.Not.Empty);
        Assert.That(enums.Where(t => !EnumSpelling.IsSpelled(t)), Is.Empty);
    }

    [Test]
    public void InputIgnoresCaseAndSpacesAndAnUnknownSpellingNamesTheFieldOrFlagAndTheChoices()
    {
        Assert.That(EnumSpelling.Parse<OptimizerKind>("AdamW", "optimizer"), Is.EqualTo(OptimizerKind.AdamW));
        Assert.That(EnumSpelling.Parse<MaskedEntryMode>(" Zero-Grad", "mask_mode"), Is.EqualTo(MaskedEntryMode.ZeroGrad));
        Assert.That(JsonSerializer.Deserialize<SampleFormat>("\"Chat\""), Is.EqualTo(SampleFormat.Chat));
        var e = Assert.Throws<ConfigException>(() => EnumSpelling.Parse<SampleFormat>("csv", "format"))!;
        Assert.That(e.Message, Is.EqualTo("field 'format': 'csv' is not one of auto, alpaca, query, chat, prompt, dpo, text"));
        var flag = Assert.Throws<ConfigException>(() => EnumSpelling.Parse<MaskScope>("layer", "--scope"))!;
        Assert.That(flag.Message, Is.EqualTo("flag '--scope': 'layer' is not one of tensor, global"));
        Assert.That(EnumSpelling.TryParse("ZeroGrad", out MaskedEntryMode _), Is.False, "only the spelling, not the C# member name");
    }

    [Test]
    public void JsonRejectsNumbersAndMemberNamesNamingTheChoices()
    {
        var number = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<OptimizerKind>("1"))!;
        Assert.That(number.Message, Does.Contain("adamw, sgd"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<MaskedEntryMode>("\"ZeroGrad\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<OptimizerKind>("\"1\""));
    }
}
