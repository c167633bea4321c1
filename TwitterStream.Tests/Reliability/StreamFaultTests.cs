using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Faults of the X stream, injected by the simulator: every post it sent reaches the table exactly once, the worker is
/// still running and healthy afterwards, and it reconnects no more often than X's backoff rules allow.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class StreamFaultTests(SharedDynamoDbLocal dynamo)
{
    private static ReliabilityScale Scale => ReliabilityScale.Current;

    [Theory]
    [InlineData("close-every-n-posts")]
    [InlineData("operational-disconnect")]
    [InlineData("duplicate-deliveries")]
    [InlineData("stall")]
    [InlineData("503-on-reconnect")]
    public async Task Stream_fault_loses_and_duplicates_nothing(string fault)
    {
        var total = Scale.PostsPerRun;
        var (faults, workerEnvironment) = fault switch
        {
            "close-every-n-posts" => (Faults(("CloseEveryPosts", Scale.DisconnectEveryPosts)), None),
            "operational-disconnect" => (Faults(("OperationalDisconnectEveryPosts", Scale.DisconnectEveryPosts)), None),
            "duplicate-deliveries" => (Faults(("DuplicateRate", 1.0 / Scale.DuplicateEveryPosts)), None),
            "stall" => (
                Faults(("StallAfterPosts", Scale.StallAfterPosts), ("StallSeconds", (int)Scale.StallTimeout.TotalSeconds + 5)),
                StallTimeoutSetting()),
            "503-on-reconnect" => (Faults(("RejectConnections", Scale.Rejected503), ("RejectStatus", 503)), None),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such stream fault"),
        };

        await using var system = await LocalSystem.StartAsync(
            Scenario.Settings(total, Scale.PostsPerSecond, burstSize: 50, faults), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        await using var attempts = new ConnectionAttempts(system.Simulator);
        var worker = await system.StartWorkerAsync(workerEnvironment, Scenario.Token);

        // A reconnect right after dropping a stalled connection can meet the old one not yet closed (429
        // TooManyConnections, as X answers too); X's 429 backoff then waits a minute, so the stall case allows for it.
        await Scenario.SettleAsync(system, total, fault == "stall" ? Scale.Settle + TimeSpan.FromSeconds(70) : null);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);

        var sim = await system.Simulator.GetCountersAsync(Scenario.Token);
        var counters = await worker.GetCountersAsync(Scenario.Token);
        switch (fault)
        {
            case "close-every-n-posts" or "operational-disconnect":
                Assert.True(counters.Reconnects >= total / Scale.DisconnectEveryPosts - 1, $"expected a reconnect every {Scale.DisconnectEveryPosts} posts; {counters}");
                break;
            case "duplicate-deliveries":
                Assert.True(sim.DuplicatesSent > 0, $"the simulator sent no duplicates: {sim}");
                break;
            case "stall":
                Assert.True(counters.Reconnects >= 1, $"the worker never gave up on the stalled connection: {counters}");
                break;
            case "503-on-reconnect":
                Assert.Equal(Scale.Rejected503, sim.RejectedConnections);
                AssertExponentialBackoff(attempts.Gaps.Take(Scale.Rejected503), TimeSpan.FromSeconds(5));
                break;
        }

        ReliabilityFigures.Record($"stream:{fault}", string.Create(CultureInfo.InvariantCulture,
            $"posts {total}, disconnects {sim.Disconnects}, refused connections {sim.RejectedConnections}, duplicates sent {sim.DuplicatesSent}, worker reconnects {counters.Reconnects}, attempts/min max {attempts.MaxPerMinute}, waits {Describe(attempts.Gaps)}; {audit}"));
    }

    [Fact]
    public async Task Rate_limit_on_reconnect_waits_a_minute_then_doubles()
    {
        // X: back off from 429 exponentially from one minute. The small scale watches the first wait for a while and
        // checks nothing else was tried; the long scale waits the real minutes out and audits the run.
        var total = Scale.PostsPerRun;
        await using var system = await LocalSystem.StartAsync(
            Scenario.Settings(total, Scale.PostsPerSecond, burstSize: 50, Faults(("RejectConnections", Scale.Rejected429), ("RejectStatus", 429))),
            cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        await using var attempts = new ConnectionAttempts(system.Simulator);
        var worker = await system.StartWorkerAsync(cancellationToken: Scenario.Token);

        await Readiness.WaitUntilAsync(worker.Process, () => Task.FromResult(attempts.Times.Count >= 1), TimeSpan.FromSeconds(30), "try to connect", Scenario.Token);
        if (!Scale.IsLong)
        {
            var watch = TimeSpan.FromSeconds(8);
            var watchedUntil = attempts.Times[0] + watch;
            await Readiness.WaitUntilAsync(worker.Process, () => Task.FromResult(
                attempts.Times.Count > 1 || attempts.ObservedFor >= watchedUntil), watch + TimeSpan.FromSeconds(10), "watch the backoff", Scenario.Token);
            Assert.Single(attempts.Times);
            Assert.False((await worker.GetCountersAsync(Scenario.Token)).StreamConnected);
            Assert.False(worker.Process.HasExited, worker.Process.RecentOutput);
            ReliabilityFigures.Record("stream:429-on-reconnect", $"refused connections 1, attempts in the first {watch.TotalSeconds:0} s after the 429: {attempts.Times.Count} (X: wait 60 s)");
            return;
        }

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);
        AssertExponentialBackoff(attempts.Gaps.Take(Scale.Rejected429), TimeSpan.FromMinutes(1));
        ReliabilityFigures.Record("stream:429-on-reconnect", string.Create(CultureInfo.InvariantCulture,
            $"posts {total}, refused connections {Scale.Rejected429}, attempts/min max {attempts.MaxPerMinute}, waits {Describe(attempts.Gaps)}; {audit}"));
    }

    /// <summary>The i-th wait is at least <paramref name="first"/> × 2^i (less the sampling resolution).</summary>
    private static void AssertExponentialBackoff(IEnumerable<TimeSpan> gaps, TimeSpan first)
    {
        var expected = first;
        foreach (var gap in gaps)
        {
            Assert.True(gap >= expected - ConnectionAttempts.Interval - TimeSpan.FromMilliseconds(100),
                $"the worker retried after {gap.TotalSeconds:0.0} s; X's backoff asks for {expected.TotalSeconds:0} s");
            expected *= 2;
        }
    }

    private static string Describe(IEnumerable<TimeSpan> gaps) =>
        string.Join(" ", gaps.Where(g => g >= TimeSpan.FromSeconds(1)).Select(g => g.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s")) is { Length: > 0 } text
            ? text
            : "none over 1 s";

    private static Dictionary<string, object> Faults(params (string Key, object Value)[] faults) => faults.ToDictionary(f => f.Key, f => f.Value);

    private static Dictionary<string, string?>? None => null;

    /// <summary>The small scale shortens the stall timeout (the worker's knob); the long scale keeps X's 20 s.</summary>
    private static Dictionary<string, string?>? StallTimeoutSetting() => Scale.IsLong
        ? null
        : new() { [WorkerVariables.StallTimeoutSeconds] = Scale.StallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) };
}
