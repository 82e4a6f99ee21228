using OrtGmt.Config;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Tokenization;
using OrtGmt.Errors;
using OrtGmt.Masking;
using OrtGmt.Optimizers;

namespace OrtGmt.Tests.Config;

public class SpellingsTests
{
    [Test]
    public void EveryValueOfEverySpelledEnumHasOneDistinctSpellingThatParsesBack()
    {
        foreach (var type in Spellings.Types)
        {
            var values = Enum.GetValues(type).Cast<Enum>().ToList();
            var names = values.Select(v => Spellings.Name(type, v)).ToList();
            Assert.That(names, Is.Unique, type.Name);
            Assert.That(names.All(n => n == n.ToLowerInvariant() && !n.Contains(' ')), Is.True, type.Name);
            for (int i = 0; i < values.Count; i++)
            {
                Assert.That(Spellings.TryParse(type, names[i], out var back), Is.True, names[i]);
                Assert.That(back, Is.EqualTo(values[i]));
            }
        }
    }

    [Test]
    public void TheConfigFileSpellingsAreTheDocumentedOnes()
    {
        Assert.That(Spellings.Names<OptimizerKind>(), Is.EqualTo(new[] { "adamw", "sgd" }));
        Assert.That(Spellings.Names<TrainingMethod>(), Is.EqualTo(new[] { "sft", "gmt", "rmt", "hft" }));
        Assert.That(Spellings.Names<MaskedEntryMode>(), Is.EqualTo(new[] { "freeze", "zero-grad" }));
        Assert.That(Spellings.Names<TruncationPolicy>(), Is.EqualTo(new[] { "error", "truncate-left", "truncate-right", "drop" }));
        Assert.That(Spellings.Name(TruncationPolicy.TruncateRight), Is.EqualTo("truncate-right"));
    }

    [Test]
    public void InputIgnoresCaseAndAnUnknownSpellingNamesTheFieldAndTheChoices()
    {
        Assert.That(Spellings.Parse<SampleFormat>("Chat", "format"), Is.EqualTo(SampleFormat.Chat));
        var e = Assert.Throws<ConfigException>(() => Spellings.Parse<SampleFormat>("csv", "format"))!;
        Assert.That(e.Message, Is.EqualTo("field 'format': 'csv' is not one of auto, alpaca, query, chat, prompt, dpo, text"));
        var flag = Assert.Throws<ConfigException>(() => Spellings.Parse<MaskScope>("layer", "--scope"))!;
        Assert.That(flag.Message, Is.EqualTo("flag '--scope': 'layer' is not one of tensor, global"));
    }
}
