using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// An ECS deploy with minimum healthy 0 %: the old task gets SIGTERM and drains, then the new one starts. The loss
/// issue 12 saw in busy runs (one contiguous block of posts created in the second of the SIGTERM) is what X had pushed
/// into the socket while the worker's reading was held back by a full buffer: SIGTERM stops reading, the drain stores
/// everything read, and the unread rest is gone with the connection. Reproduced here by making writes slower than the
/// stream (as a busy machine did), so the buffer is full and the socket backed up at the signal.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HandoffTests(SharedDynamoDbLocal dynamo)
{
    private const int Total = 4_000;
    private const int BufferCapacity = 500;

    [Fact]
    public async Task Without_backfill_a_sigterm_handoff_loses_the_posts_pushed_but_not_read_one_contiguous_block()
    {
        await using var run = await Handoff.RunAsync(dynamo.Process, "off");

        var audit = run.Audit;
        Assert.True(audit.Missing.Count > 0, $"the posts in the socket at SIGTERM should be lost without backfill; {audit}; at the signal {run.AtSignal}");
        Assert.True(audit.Duplicated.Count == 0 && audit.Unexpected.Count == 0, audit.ToString());
        var order = run.Ledger.Where(e => e.IsFirstDelivery).Select((entry, index) => (entry.Id, index)).ToDictionary(p => p.Id, p => p.index);
        var lost = audit.Missing.Select(id => order[id]).Order().ToArray();
        Assert.True(lost[^1] - lost[0] + 1 == lost.Length, $"the lost posts are not one contiguous block of the ledger: {lost.Length} posts from line {lost[0]} to {lost[^1]}");

        // The new task says what it could not cover.
        var gap = run.NewWorkerStats.Recovery!;
        Assert.Equal("off", gap.Backfill);
        Assert.True(gap.Last is { UncoveredSeconds: > 0, MinutesAsked: 0 }, $"the new task must report the gap as possibly missed: {gap}");
        ReliabilityFigures.Record("handoff:sigterm:backfill-off", string.Create(CultureInfo.InvariantCulture,
            $"{Total} posts at 1,500/s in bursts of 50, stream closed every 700, 5 % duplicates, 5 % malformed; at SIGTERM {run.AtSignal}; lost {lost.Length} (ledger lines {lost[0]}-{lost[^1]}, one block); new task reported possibly missed {gap.Last!.UncoveredSeconds:0.0} s"));
    }

    [Fact]
    public async Task With_backfill_a_sigterm_handoff_loses_nothing()
    {
        await using var run = await Handoff.RunAsync(dynamo.Process, "auto");

        Assert.True(run.Audit.IsComplete && run.Audit.Expected == Total, $"{run.Audit}; at the signal {run.AtSignal}");
        var gap = run.NewWorkerStats.Recovery!.Last;
        Assert.True(gap is { MinutesAsked: >= 1, UncoveredSeconds: 0, Duplicates: > 0 }, $"the new task should cover its gap with backfill: {gap}");
        ReliabilityFigures.Record("handoff:sigterm:backfill-auto", string.Create(CultureInfo.InvariantCulture,
            $"{Total} posts as above; at SIGTERM {run.AtSignal}; new task: gap {gap!.GapSeconds:0.0} s, backfill_minutes={gap.MinutesAsked}, {gap.Duplicates} posts came again; {run.Audit}"));
    }

    /// <summary>The posts the old task had read, stored and what the simulator had sent beyond them, at the signal.</summary>
    private sealed record AtSignal(long Kept, long Stored, int BufferDepth, long Sent, long Unread)
    {
        public override string ToString() =>
            $"worker read {Kept}, stored {Stored}, buffer {BufferDepth}; simulator sent {Sent}, {Unread} of them not read";
    }

    private sealed class Handoff : IAsyncDisposable
    {
        private readonly LocalSystem _system;
        private readonly FaultyDynamoProxy _proxy;

        private Handoff(LocalSystem system, FaultyDynamoProxy proxy)
        {
            _system = system;
            _proxy = proxy;
        }

        public AtSignal AtSignal { get; private set; } = null!;

        public CompletenessAudit Audit { get; private set; } = null!;

        public IReadOnlyList<LedgerEntry> Ledger { get; private set; } = [];

        public WorkerStats NewWorkerStats { get; private set; } = null!;

        public static async Task<Handoff> RunAsync(DynamoDbLocalProcess dynamo, string backfill)
        {
            var faults = new Dictionary<string, object> { ["CloseEveryPosts"] = 700, ["DuplicateRate"] = 0.05, ["MalformedLineRate"] = 0.05 };
            var system = await LocalSystem.StartAsync(Scenario.Settings(Total, 1_500, burstSize: 50, faults), cancellationToken: Scenario.Token, sharedDynamo: dynamo);
            var proxy = await FaultyDynamoProxy.StartAsync(system.Dynamo.ServiceUrl, cancellationToken: Scenario.Token);
            var run = new Handoff(system, proxy);
            try
            {
                await run.ExecuteAsync(backfill);
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        private async Task ExecuteAsync(string backfill)
        {
            // Writes slower than the stream, as on the busy machine: 2 slots × 25 posts per 100 ms is 500 posts/s.
            _proxy.WriteDelay = TimeSpan.FromMilliseconds(100);
            var environment = new Dictionary<string, string?>(_proxy.WorkerEnvironment)
            {
                [WorkerVariables.BufferCapacity] = BufferCapacity.ToString(CultureInfo.InvariantCulture),
                [WorkerVariables.WriteConcurrency] = "2",
                [WorkerVariables.Backfill] = backfill,
            };
            var old = await _system.StartWorkerAsync(environment, Scenario.Token);

            // The signal lands while the buffer is full (reading held back) and the simulator has sent well beyond what
            // the worker read: posts wait in the socket.
            await Readiness.WaitUntilAsync(old.Process, async () =>
            {
                var worker = await old.GetCountersAsync(Scenario.Token);
                var sim = await _system.Simulator.GetCountersAsync(Scenario.Token);
                var sent = sim.PostsSent + sim.DuplicatesSent + sim.BackfillSent;
                AtSignal = new AtSignal(worker.Kept, worker.Stored, worker.BufferDepth, sim.PostsSent, sent - worker.Received);
                return worker.Kept >= 1_000 && worker.BufferDepth >= BufferCapacity * 4 / 5 && AtSignal.Unread >= 100;
            }, TimeSpan.FromSeconds(60), "a full buffer and posts waiting in the socket", Scenario.Token);

            old.Process.Terminate();
            var exitCode = await old.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"the old task exited with {exitCode}:{Environment.NewLine}{old.Process.RecentOutput}");

            var replacement = await _system.StartWorkerAsync(environment, Scenario.Token);
            await SettleAsync(replacement);
            NewWorkerStats = await replacement.GetCountersAsync(Scenario.Token);
            Ledger = await _system.Simulator.GetLedgerAsync(Scenario.Token);
            Audit = await _system.AuditAsync(Scenario.Token);
        }

        /// <summary>
        /// Until the simulator has sent everything, the new task has stored its last post and holds nothing: the
        /// simulator sends in order and the worker reads in order, so everything the new task was sent is stored.
        /// (Posts lost in the handoff never come, so "as many stored as sent" cannot be the condition.)
        /// </summary>
        private async Task SettleAsync(WorkerProcess worker)
        {
            using var client = _system.Dynamo.CreateClient();
            await Readiness.WaitUntilAsync(worker.Process, async () =>
            {
                var sim = await _system.Simulator.GetCountersAsync(Scenario.Token);
                var counters = await worker.GetCountersAsync(Scenario.Token);
                if (sim.PostsSent < Total || counters.BufferDepth > 0 || counters.Stored < counters.Kept)
                {
                    return false;
                }

                var last = (await _system.Simulator.GetLedgerAsync(Scenario.Token)).Last(entry => entry.IsFirstDelivery);
                var item = await client.GetItemAsync(new Amazon.DynamoDBv2.Model.GetItemRequest
                {
                    TableName = _system.TableName,
                    Key = new()
                    {
                        [PostsTableSchema.PartitionKey] = new(last.Username),
                        [PostsTableSchema.SortKey] = new(PostsTableSchema.SortKeyOf(last.CreatedAt, last.Id)),
                    },
                }, Scenario.Token);
                return item.Item is { Count: > 0 };
            }, ReliabilityScale.Current.Settle, "the new task to store the last post sent", Scenario.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _system.DisposeAsync();
            await _proxy.DisposeAsync();
        }
    }
}
