using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// The process stopped mid-burst, as ECS stops a task: SIGTERM drains everything the worker held; SIGKILL loses at
/// most what it held (its buffer and the batches in flight), and a new worker started within a minute recovers it
/// with X's backfill from the durable checkpoint.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ProcessSignalTests(SharedDynamoDbLocal dynamo)
{
    private const int BufferCapacity = 5_000;
    private const int WriteConcurrency = 4;
    private const int BatchSize = 25;

    private static ReliabilityScale Scale => ReliabilityScale.Current;

    [Fact]
    public async Task Sigterm_mid_burst_drains_everything_held()
    {
        await using var run = await HeldBurst.StartAsync(dynamo.Process);

        run.Worker.Process.Terminate();
        var exitCode = await run.Worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"the worker exited with {exitCode} after SIGTERM:{Environment.NewLine}{run.Worker.Process.RecentOutput}");
        var audit = await Scenario.AssertCompleteAsync(run.System, run.Total);
        ReliabilityFigures.Record("process:sigterm", string.Create(CultureInfo.InvariantCulture,
            $"burst of {run.Total} posts, held by the worker at SIGTERM {run.HeldAtSignal} (buffer {run.BeforeSignal.BufferDepth}), exit code {exitCode} after {run.SinceSignal.TotalSeconds:0.0} s; {audit}"));
    }

    [Fact]
    public async Task Sigkill_mid_burst_then_a_restart_within_60_s_loses_nothing()
    {
        await using var run = await HeldBurst.StartAsync(dynamo.Process);

        run.Worker.Process.KillNow();
        await run.Worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // What the crash lost: at most what the worker held (its buffer and the batches in flight).
        var audit = await run.System.AuditAsync(Scenario.Token);
        var inFlightAtMost = BufferCapacity + WriteConcurrency * BatchSize;
        Assert.True(audit.Duplicated.Count == 0 && audit.Unexpected.Count == 0, audit.ToString());
        Assert.True(audit.Stored >= run.BeforeSignal.Stored, $"the worker counted {run.BeforeSignal.Stored} posts stored but the table holds {audit.Stored}");
        Assert.True(audit.Missing.Count <= run.HeldAtSignal, $"lost {audit.Missing.Count} posts, more than the {run.HeldAtSignal} the worker held");
        Assert.True(audit.Missing.Count <= inFlightAtMost, $"lost {audit.Missing.Count} posts, more than its buffer and batches can hold ({inFlightAtMost})");
        Assert.True(audit.Missing.Count > 0, $"the crash should have lost what the worker held ({run.HeldAtSignal}); {audit}");

        // A new task on the same table within a minute: its backfill, from the durable checkpoint, brings them back.
        var restarted = await run.System.StartWorkerAsync(run.Environment, Scenario.Token);
        var restartedAfter = run.SinceSignal;
        Assert.True(restartedAfter < TimeSpan.FromSeconds(60), $"the restart took {restartedAfter}");
        await Scenario.SettleAsync(run.System, run.Total);
        var recovered = await Scenario.AssertCompleteAsync(run.System, run.Total);
        await Scenario.AssertStillRunningAsync(restarted);
        var gap = (await restarted.GetCountersAsync(Scenario.Token)).Recovery?.Last;
        Assert.True(gap is { MinutesAsked: >= 1, UncoveredSeconds: 0 }, $"the restart should ask backfill covering the whole gap: {gap}");
        ReliabilityFigures.Record("process:sigkill", string.Create(CultureInfo.InvariantCulture,
            $"burst of {run.Total} posts, held by the worker at SIGKILL {run.HeldAtSignal}, lost by the crash {audit.Missing.Count} (bound: buffer {BufferCapacity} + {WriteConcurrency} batches of {BatchSize}); restarted after {restartedAfter.TotalSeconds:0.0} s, gap {gap!.GapSeconds:0.0} s, backfill_minutes={gap.MinutesAsked}, {gap.Duplicates} posts came again; {recovered}"));
    }

    /// <summary>
    /// A burst the worker has read completely while slow writes (a delaying proxy) keep a good part of it in its hands,
    /// so a signal lands with a known number of posts held and none still on the wire (the ledger then lists exactly
    /// what the worker accepted).
    /// </summary>
    private sealed class HeldBurst : IAsyncDisposable
    {
        private readonly System.Diagnostics.Stopwatch _sinceSignal = new();

        private HeldBurst(LocalSystem system, FaultyDynamoProxy proxy, int total, Dictionary<string, string?> environment)
        {
            System = system;
            Proxy = proxy;
            Total = total;
            Environment = environment;
        }

        public LocalSystem System { get; }

        public FaultyDynamoProxy Proxy { get; }

        public int Total { get; }

        public Dictionary<string, string?> Environment { get; }

        public WorkerProcess Worker => System.Worker();

        public WorkerStats BeforeSignal { get; private set; } = null!;

        public long HeldAtSignal => BeforeSignal.Kept - BeforeSignal.Stored;

        public TimeSpan SinceSignal => _sinceSignal.Elapsed;

        public static async Task<HeldBurst> StartAsync(DynamoDbLocalProcess dynamo)
        {
            var total = Scale.IsLong ? 20_000 : 3_000;
            var system = await LocalSystem.StartAsync(
                Scenario.Settings(total, postsPerSecond: total, burstSize: total / 4), cancellationToken: Scenario.Token, sharedDynamo: dynamo);
            var proxy = await FaultyDynamoProxy.StartAsync(system.Dynamo.ServiceUrl, cancellationToken: Scenario.Token);
            // Slow enough that the burst is read long before it is written, fast enough to drain well within 30 s.
            proxy.WriteDelay = TimeSpan.FromMilliseconds(Scale.IsLong ? 100 : 400);
            var environment = new Dictionary<string, string?>(proxy.WorkerEnvironment)
            {
                [WorkerVariables.BufferCapacity] = BufferCapacity.ToString(CultureInfo.InvariantCulture),
                [WorkerVariables.WriteConcurrency] = WriteConcurrency.ToString(CultureInfo.InvariantCulture),
            };
            var run = new HeldBurst(system, proxy, total, environment);
            try
            {
                var worker = await system.StartWorkerAsync(environment, Scenario.Token);
                await Readiness.WaitUntilAsync(worker.Process, async () =>
                {
                    run.BeforeSignal = await worker.GetCountersAsync(Scenario.Token);
                    return run.BeforeSignal.Kept >= total && run.BeforeSignal.Kept - run.BeforeSignal.Stored > BatchSize * WriteConcurrency;
                }, TimeSpan.FromSeconds(60), "read the whole burst while still holding posts", Scenario.Token);
                run._sinceSignal.Start();
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await System.DisposeAsync();
            await Proxy.DisposeAsync();
        }
    }
}
