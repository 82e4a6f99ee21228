namespace OrtGmt.Tests.Cli;

public class CliRunnerTests
{
    [Test]
    public void AFailingCommandsErrorLineIsCapturedNotPrintedToTheTestLog()
    {
        var log = new StringWriter();
        var previous = Console.Error;
        Console.SetError(log);
        CliRun run;
        try
        {
            run = CliRunner.Run("drop", "--base", "a", "--tuned", "b", "--ratio", "1.5", "--out", "c");
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(run.Code, Is.EqualTo(1));
        Assert.That(run.Err, Does.StartWith("error: flag '--ratio'"));
        Assert.That(log.ToString(), Is.Empty);
    }
}
