using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// The compliance sweep end to end: the worker's <c>compliance-sweep</c> command as its own process against DynamoDB
/// Local and the simulator's compliance jobs. Exactly the posts X names go, every other item stays as it was, a sweep
/// killed mid-way and run again ends the same, and a failed job deletes nothing.
/// </summary>
public sealed class ComplianceSweepTests
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Reasons = ["deleted", "protected", "suspended"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static Task<LocalSystem> StartAsync(double processingSeconds, params (string Key, string Value)[] settings)
    {
        var simulator = new Dictionary<string, string>
        {
            ["Compliance:ProcessingSeconds"] = processingSeconds.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            simulator[key] = value;
        }

        return LocalSystem.StartAsync(simulator, cancellationToken: Ct);
    }

    /// <summary>Small jobs (several per sweep), quick polls and a short hold, so a killed sweep is taken over within seconds.</summary>
    internal static Dictionary<string, string?> SweepEnvironment(LocalSystem system, int jobSize) => system.WorkerEnvironment(new Dictionary<string, string?>
    {
        [WorkerVariables.ComplianceJobSize] = jobSize.ToString(CultureInfo.InvariantCulture),
        [WorkerVariables.CompliancePollIntervalSeconds] = "0.2",
        [WorkerVariables.ComplianceLeaseSeconds] = "2",
        [WorkerVariables.Filter] = null, // the sweep reads no stream and needs no rule
    });

    /// <summary>Every item of the table (posts and the worker's own), by key.</summary>
    internal static async Task<Dictionary<(string User, string Date), Dictionary<string, AttributeValue>>> ItemsAsync(LocalSystem system)
    {
        using var client = system.Dynamo.CreateClient();
        var items = new Dictionary<(string, string), Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = system.TableName, ExclusiveStartKey = start, ConsistentRead = true }, Ct);
            foreach (var item in page.Items)
            {
                items[(item[PostsTableSchema.PartitionKey].S, item[PostsTableSchema.SortKey].S)] = item;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return items;
    }

    internal static Dictionary<(string User, string Date), Dictionary<string, AttributeValue>> Posts(
        Dictionary<(string User, string Date), Dictionary<string, AttributeValue>> items) =>
        items.Where(i => i.Key.User != PostsTableSchema.ReservedPartitionKey).ToDictionary();

    /// <summary><paramref name="count"/> posts in the shape the worker stores, written straight to the table.</summary>
    internal static async Task SeedAsync(LocalSystem system, int count)
    {
        using var client = system.Dynamo.CreateClient();
        var requests = Enumerable.Range(0, count).Select(i =>
        {
            var id = (1_900_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            var createdAt = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc).AddSeconds(i).ToString(PostsTableSchema.TimestampFormat, CultureInfo.InvariantCulture);
            return new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                [PostsTableSchema.PartitionKey] = new($"user{i % 13}"),
                [PostsTableSchema.SortKey] = new(PostsTableSchema.SortKeyOf(createdAt, id)),
                [PostsTableSchema.Id] = new(id),
                [PostsTableSchema.Text] = new($"post {i}"),
                [PostsTableSchema.CreatedAt] = new(createdAt),
            }));
        }).ToList();
        foreach (var batch in requests.Chunk(25))
        {
            var pending = new Dictionary<string, List<WriteRequest>> { [system.TableName] = [.. batch] };
            while (pending.Count > 0)
            {
                pending = (await client.BatchWriteItemAsync(pending, Ct)).UnprocessedItems;
            }
        }
    }

    /// <summary>Every <paramref name="every"/>th post, with reasons in turn, marked on the simulator.</summary>
    internal static async Task<Dictionary<string, string>> MarkAsync(LocalSystem system, IEnumerable<Dictionary<string, AttributeValue>> posts, int every)
    {
        var marked = posts.Select(p => p[PostsTableSchema.Id].S).Order(StringComparer.Ordinal)
            .Where((_, i) => i % every == 0)
            .Select((id, i) => (id, Reasons[i % Reasons.Length]))
            .ToDictionary(m => m.id, m => m.Item2);
        await system.Simulator.MarkForComplianceAsync(marked, Ct);
        return marked;
    }

    private static async Task<Dictionary<string, AttributeValue>?> SweepStateAsync(LocalSystem system)
    {
        using var client = system.Dynamo.CreateClient();
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = system.TableName,
            ConsistentRead = true,
            Key = new()
            {
                [PostsTableSchema.PartitionKey] = new(PostsTableSchema.ReservedPartitionKey),
                [PostsTableSchema.SortKey] = new(PostsTableSchema.ComplianceSweepSortKey),
            },
        }, Ct);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    internal static void AssertExactlyMarkedGone(
        Dictionary<(string User, string Date), Dictionary<string, AttributeValue>> before,
        Dictionary<(string User, string Date), Dictionary<string, AttributeValue>> after,
        IReadOnlyDictionary<string, string> marked)
    {
        var expected = before.Where(p => !marked.ContainsKey(p.Value[PostsTableSchema.Id].S)).ToList();
        Assert.Equal(expected.Select(p => p.Key).Order(), after.Keys.Order());
        foreach (var (key, item) in expected)
        {
            // Untouched: every attribute as it was.
            Assert.Equal(Describe(item), Describe(after[key]));
        }
    }

    private static string Describe(Dictionary<string, AttributeValue> item) => string.Join("|", item.OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => $"{a.Key}={a.Value.S}{a.Value.N}{a.Value.BOOL}{string.Join(",", a.Value.L?.Select(v => v.S) ?? [])}"));

    [Fact]
    public async Task Posts_the_worker_stored_and_X_marked_are_deleted_and_every_other_item_is_untouched()
    {
        await using var system = await StartAsync(0.3, ("PostsPerSecond", "400"), ("MatchingShare", "1"), ("TotalPosts", "240"));
        // The stream worker keeps running beside the sweep, as on AWS (the simulator has no more posts to send).
        var worker = await system.StartWorkerAsync(cancellationToken: Ct);
        await Eventually.WaitAsync(() => worker.GetCountersAsync(Ct), s => s.Received == 240 && s.Stored == s.Kept && s.BufferDepth == 0,
            TimeSpan.FromSeconds(60), "the worker to store what it kept of 240 posts");

        var before = await ItemsAsync(system);
        var posts = Posts(before);
        Assert.True(posts.Count > 100, $"only {posts.Count} posts stored");
        var marked = await MarkAsync(system, posts.Values, every: 7);

        var (exit, output) = await WorkerProcess.RunAsync(SweepEnvironment(system, jobSize: 64), SweepTimeout, WorkerVariables.ComplianceSweepCommand);

        Assert.True(exit == 0, output);
        var after = await ItemsAsync(system);
        AssertExactlyMarkedGone(posts, Posts(after), marked);
        // The worker's own items (e.g. the budget's count) are not posts: the sweep leaves them as they were. The stream
        // worker beside it may still move its checkpoint forward (every 5 s), so that one need only still be there.
        foreach (var (key, item) in before.Where(i => i.Key.User == PostsTableSchema.ReservedPartitionKey))
        {
            Assert.True(after.ContainsKey(key), $"the sweep removed the worker's item {key.Date}");
            if (key.Date != PostsTableSchema.CheckpointSortKey)
            {
                Assert.Equal(Describe(item), Describe(after[key]));
            }
        }

        var jobs = (posts.Count + 63) / 64;
        Assert.Contains($"checked {posts.Count} post ids in {jobs} X jobs, deleted {marked.Count} items, modified 0", output, StringComparison.Ordinal);
        foreach (var reason in Reasons)
        {
            Assert.Contains($"{reason} {marked.Values.Count(r => r == reason)}", output, StringComparison.Ordinal);
        }

        var state = await SweepStateAsync(system);
        Assert.Equal("finished", state!["status"].S);
    }

    [Fact]
    public async Task A_sweep_killed_mid_way_and_run_again_reaches_the_same_end_state_without_skipping_posts()
    {
        await using var system = await StartAsync(1.0);
        await SeedAsync(system, 300);
        var before = Posts(await ItemsAsync(system));
        var marked = await MarkAsync(system, before.Values, every: 9);
        var environment = SweepEnvironment(system, jobSize: 50);

        await using (var first = DotnetApp.Start(WorkerProcess.AssemblyName, [WorkerVariables.ComplianceSweepCommand], environment, inheritEnvironment: false))
        {
            // Killed while X works on the third of six jobs: two stretches acted on, one job in flight, three not begun.
            await Eventually.WaitAsync<Dictionary<string, AttributeValue>?>(() => SweepStateAsync(system), s => s is not null && s["jobs"].N == "3" && s.ContainsKey("job_id"),
                TimeSpan.FromSeconds(60), "the sweep to be at its third job");
            first.KillNow();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        var midway = Posts(await ItemsAsync(system));
        Assert.InRange(midway.Count, before.Count - marked.Count, before.Count - 1); // some deleted, not all

        var (exit, output) = await WorkerProcess.RunAsync(environment, SweepTimeout, WorkerVariables.ComplianceSweepCommand);

        Assert.True(exit == 0, output);
        Assert.Contains("resumes", output, StringComparison.Ordinal);
        AssertExactlyMarkedGone(before, Posts(await ItemsAsync(system)), marked);
        Assert.Contains($"checked {before.Count} post ids in 6 X jobs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_job_deletes_nothing_and_the_next_run_checks_those_posts_again()
    {
        await using var system = await StartAsync(0.2);
        await SeedAsync(system, 120);
        var before = Posts(await ItemsAsync(system));
        var marked = await MarkAsync(system, before.Values, every: 5);
        var environment = SweepEnvironment(system, jobSize: 1000);
        await system.Simulator.FailComplianceJobsAsync(1, Ct);

        var (failedExit, failedOutput) = await WorkerProcess.RunAsync(environment, SweepTimeout, WorkerVariables.ComplianceSweepCommand);

        Assert.True(failedExit == 1, failedOutput);
        Assert.Contains("is failed, so none of its 120 ids' results are used", failedOutput, StringComparison.Ordinal);
        AssertExactlyMarkedGone(before, Posts(await ItemsAsync(system)), new Dictionary<string, string>());

        var (exit, output) = await WorkerProcess.RunAsync(environment, SweepTimeout, WorkerVariables.ComplianceSweepCommand);

        Assert.True(exit == 0, output);
        AssertExactlyMarkedGone(before, Posts(await ItemsAsync(system)), marked);
    }
}
