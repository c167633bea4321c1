using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Recovery;

namespace TwitterStream.Tests.Worker.Recovery;

/// <summary>The real worker host against the scripted X API and DynamoDB Local: what it asks, what it stores, what it says.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class BackfillIntegrationTests(DynamoDbLocalFixture dynamo)
{
    private const string Refused = "X refused backfill_minutes";

    private static Dictionary<string, AttributeValue> CheckpointKey => new()
    {
        [PostsTableSchema.PartitionKey] = new AttributeValue(PostsTableSchema.ReservedPartitionKey),
        [PostsTableSchema.SortKey] = new AttributeValue(PostsTableSchema.CheckpointSortKey),
    };

    private static string SecondsAgo(int seconds) =>
        PostsTableSchema.FormatTimestamp(DateTimeOffset.UtcNow.AddSeconds(-seconds));

    [Fact]
    public async Task A_reconnect_asks_the_minutes_of_its_gap_and_a_refusal_is_said_once_then_the_stream_goes_on_without_it()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("1", "alice", "cats", SecondsAgo(1))], CloseAfterLines: true));
        api.EnqueueStream(new StreamScript(Status: 403));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("2", "alice", "dogs", SecondsAgo(1))], CloseAfterLines: true));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("3", "bob", "cats", SecondsAgo(0))]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        await worker.WaitForStatsAsync(s => s.Stored == 3, "3 posts stored over 3 connections");

        var queries = api.StreamQueries.ToArray();
        Assert.Equal(4, queries.Length);
        Assert.DoesNotContain("backfill_minutes", queries[0], StringComparison.Ordinal); // a first run: no gap
        Assert.EndsWith("&backfill_minutes=1", queries[1], StringComparison.Ordinal); // a gap of moments: one minute
        Assert.DoesNotContain("backfill_minutes", queries[2], StringComparison.Ordinal); // refused: asked again without
        Assert.DoesNotContain("backfill_minutes", queries[3], StringComparison.Ordinal); // and never again
        Assert.Single(worker.Logs, log => log.Message.Contains(Refused, StringComparison.Ordinal));
        Assert.Equal(0, worker.ExitCode);
        Assert.False(worker.Stopping.IsCancellationRequested, "a refused backfill must not stop the worker");
        var recovery = worker.Stats.Recovery!;
        Assert.Equal("refused", recovery.Backfill);
        Assert.Equal(2, recovery.Gaps);
        Assert.Equal(0, recovery.MinutesAsked);
        Assert.True(recovery.UncoveredSeconds >= 2 * BackfillPlan.Margin.TotalSeconds, $"the whole of both gaps is possibly missed: {recovery}");
        Assert.Contains(worker.Logs, log => log.Message.Contains("possibly missed: ", StringComparison.Ordinal) && log.Message.Contains("backfill refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_asks_backfill_from_the_durable_checkpoint_and_counts_the_posts_that_come_again()
    {
        var older = SecondsAgo(40);
        var newest = SecondsAgo(30);
        string[] firstRun = [StreamLines.Post("10", "alice", "cats", older), StreamLines.Post("11", "bob", "dogs", newest)];
        var table = $"posts-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(table);
        using var client = dynamo.CreateClient();
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new(CheckpointKey) { [PostsTableSchema.CheckpointStoredThrough] = new AttributeValue(SecondsAgo(60)) },
        }, TestContext.Current.CancellationToken);
        await using (var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            api.EnqueueStream(new StreamScript(Lines: firstRun));
            await using var first = await InProcessWorker.StartAsync(api, dynamo, existingTable: table);
            await first.WaitForStatsAsync(s => s.Stored == 2, "the first run's 2 posts stored");
            Assert.EndsWith("&backfill_minutes=2", api.StreamQueries.Single(), StringComparison.Ordinal); // 60 s + the margin
        }

        // The stop wrote the checkpoint: the newest stored post's created_at.
        var checkpoint = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = CheckpointKey, ConsistentRead = true }, TestContext.Current.CancellationToken);
        Assert.Equal(newest, checkpoint.Item[PostsTableSchema.CheckpointStoredThrough].S);

        await using var api2 = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        // The live post is stamped after the connection opened (X's clock a moment ahead): it ends the catch-up.
        api2.EnqueueStream(new StreamScript(Lines: [.. firstRun, StreamLines.Post("12", "carol", "cats", SecondsAgo(-3))]));
        await using var second = await InProcessWorker.StartAsync(api2, dynamo, existingTable: table);

        var stats = await second.WaitForStatsAsync(s => s.Stored == 3 && s.Recovery?.Last is not null, "the backfilled and the live post stored");
        await Eventually.WaitAsync(() => Task.FromResult(second.Logs), logs => logs.Any(log => log.Message.StartsWith("Stream gap", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the gap's log line");

        Assert.EndsWith("&backfill_minutes=1", api2.StreamQueries.Single(), StringComparison.Ordinal);
        var gap = stats.Recovery!.Last!;
        Assert.Equal(2, gap.Duplicates);
        Assert.Equal(1, gap.MinutesAsked);
        Assert.Equal(0, gap.UncoveredSeconds);
        Assert.InRange(gap.GapSeconds, 29, 60);
        Assert.Contains(second.Logs, log => log.Message.Contains("2 posts arrived again and collapsed; possibly missed: 0 s of stream", StringComparison.Ordinal));
        var items = await InProcessWorker.ScanAsync(dynamo, table);
        Assert.Equal(["10", "11", "12"], items.Select(item => item[PostsTableSchema.Id].S).Order());
    }

    [Fact]
    public async Task With_backfill_off_nothing_is_asked_and_the_whole_gap_is_reported_as_possibly_missed()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("1", "alice", "cats", SecondsAgo(20))], CloseAfterLines: true));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("2", "alice", "dogs", SecondsAgo(-3))])); // live: ends the catch-up
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, new Dictionary<string, string?> { [WorkerVariables.Backfill] = "off" });

        var stats = await worker.WaitForStatsAsync(s => s.Stored == 2 && s.Recovery?.Last is not null, "both posts stored");
        await Eventually.WaitAsync(() => Task.FromResult(worker.Logs), logs => logs.Any(log => log.Message.StartsWith("Stream gap", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the gap's log line");

        Assert.All(api.StreamQueries, query => Assert.DoesNotContain("backfill_minutes", query, StringComparison.Ordinal));
        Assert.Equal("off", stats.Recovery!.Backfill);
        Assert.True(stats.Recovery.Last!.UncoveredSeconds >= BackfillPlan.Margin.TotalSeconds, stats.Recovery.ToString());
        Assert.Contains(worker.Logs, log => log.Message.Contains("no backfill asked (BACKFILL off)", StringComparison.Ordinal));
    }
}
