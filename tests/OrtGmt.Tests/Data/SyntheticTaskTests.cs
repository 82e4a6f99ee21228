using System.Text;
using OrtGmt.Data.Formats;
using OrtGmt.Data.Synthetic;
using OrtGmt.Data.Templates;
using OrtGmt.Data.Tokenization;
using OrtGmt.Tokenizers;

namespace OrtGmt.Tests.Data;

public class SyntheticTaskTests
{
    private static readonly string[] Tasks = ["math", "code", "general", "pretrain"];

    private static List<SyntheticSample> Make(string task, int n, ulong seed, SyntheticSplit split = SyntheticSplit.Train) =>
        SyntheticTasks.Generate(SyntheticTasks.Get(task), n, seed, split).ToList();

    [TestCaseSource(nameof(Tasks))]
    public void SameSeedGivesSameSamplesAndOtherSeedsOthers(string task)
    {
        Assert.That(Make(task, 50, 3), Is.EqualTo(Make(task, 50, 3)));
        Assert.That(Make(task, 50, 4), Is.Not.EqualTo(Make(task, 50, 3)));
    }

    [TestCaseSource(nameof(Tasks))]
    public void TrainAndTestSplitsShareNoSample(string task)
    {
        var train = Make(task, 1500, 1).Select(s => s.Prompt).ToHashSet();
        var test = Make(task, 150, 2, SyntheticSplit.Test).Select(s => s.Prompt).ToList();
        Assert.That(train, Has.Count.EqualTo(1500), "train samples are distinct");
        Assert.That(test.Where(train.Contains), Is.Empty);
        Assert.That(test.All(p => SyntheticTasks.SplitOf(new SyntheticSample("", p, "", "")) == SyntheticSplit.Test));
    }

    [TestCaseSource(nameof(Tasks))]
    public void OwnCompletionPassesTheCheckerAndAWrongAnswerFails(string task)
    {
        var t = SyntheticTasks.Get(task);
        foreach (var s in Make(task, 200, 11))
        {
            string output = s.Kind == PretrainTask.TextKind ? s.Completion[s.Prompt.Length..] : s.Completion;
            Assert.That(t.IsCorrect(s, output), Is.True, s.ToJsonLine());
            string wrong = s.Kind == MathTask.Kind ? s.Completion.Replace("#### " + s.Answer, "#### " + s.Answer + "1", StringComparison.Ordinal) : s.Answer + "x";
            Assert.That(t.IsCorrect(s, wrong), Is.False, wrong);
        }
    }

    [TestCaseSource(nameof(Tasks))]
    public void SamplesAreShortEnoughForByteModels(string task)
    {
        const int MaxBytes = 220;
        foreach (var s in Make(task, 300, 5))
        {
            string whole = s.Kind == PretrainTask.TextKind ? s.Completion : s.Prompt + "\n" + s.Completion;
            Assert.That(Encoding.UTF8.GetByteCount(whole), Is.LessThanOrEqualTo(MaxBytes), s.ToJsonLine());
        }
    }

    [Test]
    public void MathCompletionShowsStepsThenTheAnswer()
    {
        var s = Make("math", 1, 9)[0];
        Assert.That(s.Completion, Does.Match(@"^(\d+ [-+*/] \d+ = -?\d+\. ){2}?\d+ [-+*/] \d+ = -?\d+\.\n#### -?\d+$").Or.Match(@"= .*\n#### "));
        Assert.That(AnswerCheck.MathAnswer("so 3 + 4 = 7\n#### 7 apples"), Is.EqualTo("7"));
        Assert.That(AnswerCheck.MathCorrect("7", "no marker 7"), Is.False);
    }

    [Test]
    public void CodeProgramsPrintTheirAnswer()
    {
        // Hand-checked instance of the loop form: 2 + 0 + 1 + 2 = 5.
        var s = Make("code", 300, 1).First(x => x.Prompt.Contains("for ", StringComparison.Ordinal) && !x.Prompt.Contains("if ", StringComparison.Ordinal));
        var lines = s.Prompt.Split('\n');
        long start = long.Parse(lines[1].Split(" = ")[1]);
        int n = int.Parse(lines[2][(lines[2].IndexOf("range(", StringComparison.Ordinal) + 6)..^2]);
        Assert.That(s.Answer, Is.EqualTo((start + n * (n - 1) / 2).ToString()));
    }

    [Test]
    public void JsonLineRoundTrips()
    {
        foreach (string task in Tasks)
        {
            var s = Make(task, 1, 2)[0];
            Assert.That(SyntheticSample.FromJsonLine(s.ToJsonLine(), "f", 1), Is.EqualTo(s));
        }
    }

    [Test]
    public void PromptIdsEndWhereTheTrainedCompletionStarts()
    {
        var encoder = new SampleEncoder(ByteTokenizer.Instance, new PlainTemplate(), new EncodeOptions());
        var tok = ByteTokenizer.Instance;
        var math = Make("math", 1, 1)[0];
        int[] prompt = SyntheticPrompt.Encode(math, encoder);
        var full = encoder.EncodeFull(Sample.Exchange(SampleFormat.Prompt, math.Prompt, math.Completion));
        Assert.That(full.Ids.Take(prompt.Length), Is.EqualTo(prompt));
        Assert.That(full.Trained[prompt.Length - 1], Is.False);
        Assert.That(full.Trained[prompt.Length], Is.True);
        var text = Make("pretrain", 1, 1)[0];
        Assert.That(tok.Decode(SyntheticPrompt.Encode(text, encoder)), Is.EqualTo(text.Prompt));
        Assert.That(SyntheticPrompt.Encode(text, encoder)[0], Is.EqualTo(ByteTokenizer.Bos));
    }

    [Test]
    public void UnknownTaskIsAnError()
    {
        Assert.Throws<OrtGmt.Errors.OrtGmtException>(() => SyntheticTasks.Get("poetry"));
    }
}
