using System.Globalization;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>X on a plan without backfill: the worker behaves as before backfill existed, and says so once.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class BackfillRefusedTests(SharedDynamoDbLocal dynamo)
{
    private const string RefusedLine = "X refused backfill_minutes";

    [Fact]
    public async Task Refused_backfill_is_said_once_then_the_stream_runs_as_before_and_reports_its_gaps_as_possibly_missed()
    {
        var scale = ReliabilityScale.Current;
        var total = scale.PostsPerRun;
        var settings = Scenario.Settings(total, scale.PostsPerSecond, burstSize: 50, new Dictionary<string, object> { ["CloseEveryPosts"] = scale.DisconnectEveryPosts });
        settings["RefuseBackfill"] = "true";
        await using var system = await LocalSystem.StartAsync(settings, cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var refusals = 0;
        var worker = await system.StartWorkerAsync(cancellationToken: Scenario.Token);
        worker.Process.OutputLine += line =>
        {
            if (line.Contains(RefusedLine, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref refusals);
            }
        };

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);

        var counters = await worker.GetCountersAsync(Scenario.Token);
        var sim = await system.Simulator.GetCountersAsync(Scenario.Token);
        var recovery = counters.Recovery!;
        Assert.True(counters.Reconnects >= total / scale.DisconnectEveryPosts - 1, $"expected a reconnect every {scale.DisconnectEveryPosts} posts; {counters}");
        Assert.Equal(1, sim.BackfillRefused); // asked once, never again
        Assert.Equal(0, sim.BackfillSent);
        Assert.Equal(1, Volatile.Read(ref refusals));
        Assert.Equal("refused", recovery.Backfill);
        Assert.Equal(counters.Reconnects, recovery.Gaps);
        Assert.True(recovery.UncoveredSeconds > 0 && recovery.MinutesAsked == 0, $"each gap is reported as possibly missed: {recovery}");
        ReliabilityFigures.Record("backfill:refused", string.Create(CultureInfo.InvariantCulture,
            $"{counters.Reconnects} reconnects, 1 refusal (one log line), then no backfill asked; reported possibly missed {recovery.UncoveredSeconds:0.0} s over {recovery.Gaps} gaps; {audit}"));
    }
}
