using TwitterStream.Harness;

namespace TwitterStream.Tests.Harness;

public sealed class ManagedProcessTests
{
    [Fact]
    public async Task Sigterm_reaches_the_process_and_its_output_and_usage_are_read()
    {
        // The shell prints once its trap is set, so the signal cannot arrive before it can be handled.
        await using var process = ManagedProcess.Start(
            "sh", "/bin/sh", ["-c", "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.05; done"]);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputLine += line => { if (line == "ready") { ready.TrySetResult(); } };
        if (!process.RecentOutput.Contains("ready", StringComparison.Ordinal))
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        var usage = process.Sample();
        Assert.True(usage.RssBytes > 0 && usage.PeakRssBytes >= usage.RssBytes);

        process.Terminate();

        Assert.Equal(7, await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("got-term", process.RecentOutput, StringComparison.Ordinal);
    }
}
