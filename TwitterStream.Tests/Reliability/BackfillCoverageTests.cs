using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Tests.Simulator;
using TwitterStream.Tests.Worker;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// What backfill cannot cover. A gap longer than X's 5 minutes: the worker and the simulator run in this process on one
/// <see cref="ShiftedClock"/>, so the gap's minutes are a jump of the wall clock, not minutes of waiting; the simulator
/// keeps matching posts while nobody is connected (as X does), and the posts lost must be exactly those the worker
/// reported as possibly missed.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class BackfillCoverageTests(DynamoDbLocalFixture dynamo)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gap_longer_than_five_minutes_loses_exactly_the_posts_reported_as_possibly_missed()
    {
        var clock = new ShiftedClock();
        await using var sim = await SimulatorHost.StartAsync(clock,
            ("PostsPerSecond", "200"), ("BurstSize", "10"), ("MatchingShare", "1"), ("MatchWhileDisconnected", "true"), ("KeepAliveSeconds", "1"));
        var table = $"posts-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(table);
        using var client = dynamo.CreateClient();

        // An earlier run's checkpoint a minute ago, so the first worker also collects what was matched before it connected.
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new()
            {
                [PostsTableSchema.PartitionKey] = new AttributeValue(PostsTableSchema.ReservedPartitionKey),
                [PostsTableSchema.SortKey] = new AttributeValue(PostsTableSchema.CheckpointSortKey),
                [PostsTableSchema.CheckpointStoredThrough] = new AttributeValue(Format(clock.GetUtcNow().AddMinutes(-1))),
            },
        }, Token);
        var settings = new Dictionary<string, string?>
        {
            [WorkerVariables.BearerToken] = "",
            [WorkerVariables.ConsumerKey] = SimulatorHost.Key,
            [WorkerVariables.ConsumerSecretKey] = SimulatorHost.Secret,
        };

        await using (var first = await InProcessWorker.StartAsync(sim.Client.BaseAddress!, dynamo, settings, time: clock, existingTable: table))
        {
            await first.WaitForStatsAsync(s => s.Stored >= 300, "the first worker to store 300 posts");
        }

        // The first worker has stopped: posts go on being matched and missed; then 6 minutes pass in a moment.
        var missedBefore = (await WaitForSimulatorAsync(sim, s => s.MissedWhileDisconnected >= 100, "100 posts missed before the jump")).MissedWhileDisconnected;
        clock.Jump(TimeSpan.FromMinutes(6));
        await WaitForSimulatorAsync(sim, s => s.MissedWhileDisconnected >= missedBefore + 100, "100 posts missed after the jump");

        await using var second = await InProcessWorker.StartAsync(sim.Client.BaseAddress!, dynamo, settings, time: clock, existingTable: table);
        var connected = await second.WaitForStatsAsync(s => s.Recovery?.Last is not null, "the second worker's gap");
        var gap = connected.Recovery!.Last!;
        Assert.Equal(5, gap.MinutesAsked);
        Assert.True(gap.GapSeconds > 360, gap.ToString());
        var from = gap.UncoveredFrom!.Value;
        var to = gap.UncoveredTo!.Value;

        // Compare posts created well before the newest the second worker has stored: those it has certainly read.
        var settled = await Eventually.WaitAsync(() => Task.FromResult(second.Stats), s => s.Recovery?.CheckpointAt > gap.ConnectedAt.AddSeconds(3),
            TimeSpan.FromSeconds(30), "the second worker's checkpoint past its connection");
        var cutoff = Format(settled.Recovery!.CheckpointAt!.Value.AddSeconds(-2));
        var ledger = LedgerEntry.ParseNdjson(await sim.Client.GetStringAsync(LedgerEntry.Path, Token))
            .Where(entry => entry.IsFirstDelivery && string.CompareOrdinal(entry.CreatedAt, cutoff) < 0)
            .ToList();
        var stored = (await PostsTable.ScanAsync(client, table, Token)).Select(post => post.IdFromKey).ToHashSet(StringComparer.Ordinal);
        var lost = ledger.Where(entry => !stored.Contains(entry.Id)).ToList();
        var reported = ledger.Where(entry => Within(entry, from, to)).ToList();

        Assert.NotEmpty(lost);
        Assert.All(lost, entry => Assert.True(Within(entry, from, to), $"post {entry.Id} created {entry.CreatedAt} was lost outside the reported span {from:O} to {to:O}"));
        Assert.Equal(reported.Where(entry => !stored.Contains(entry.Id)).Select(entry => entry.Id), lost.Select(entry => entry.Id));
        Assert.True(lost.Count >= 100, $"the 100+ posts missed before the jump should be lost; lost {lost.Count}");
        ReliabilityFigures.Record("backfill:gap-over-5-minutes", string.Create(CultureInfo.InvariantCulture,
            $"gap {gap.GapSeconds:0.0} s (6-minute clock jump), backfill_minutes=5, reported possibly missed {gap.UncoveredSeconds:0.0} s ({from:HH:mm:ss}-{to:HH:mm:ss}); {ledger.Count} posts audited, lost {lost.Count}, every one inside the reported span, and every unstored post of the span lost"));
    }

    private static bool Within(LedgerEntry entry, DateTimeOffset from, DateTimeOffset to) =>
        string.CompareOrdinal(entry.CreatedAt, Format(from)) >= 0 && string.CompareOrdinal(entry.CreatedAt, Format(to)) < 0;

    private static string Format(DateTimeOffset at) => PostsTableSchema.FormatTimestamp(at);

    private static Task<SimulatorStats> WaitForSimulatorAsync(SimulatorHost sim, Func<SimulatorStats, bool> done, string what) =>
        Eventually.WaitAsync(sim.StatsAsync, done, TimeSpan.FromSeconds(20), what);
}
