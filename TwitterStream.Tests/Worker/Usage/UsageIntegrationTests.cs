using System.Diagnostics.Metrics;
using System.Net;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Tests.Worker;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class UsageIntegrationTests(DynamoDbLocalFixture dynamo)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A stall timeout longer than the clock steps, so only what the test scripts ends a connection.</summary>
    private static Dictionary<string, string?> Settings(string? budget = null) => new()
    {
        [WorkerVariables.StallTimeoutSeconds] = "600",
        [WorkerVariables.MonthlyPostBudget] = budget,

        // The fake clock moves only when a test moves it, and these tests wait for posts to be stored in between.
        [WorkerVariables.WriteLingerMilliseconds] = "0",
    };

    private static IEnumerable<string> Posts(int first, int count) =>
        Enumerable.Range(first, count).Select(i => StreamLines.Post($"{7000 + i}", $"user{i % 3}", $"post {i}"));

    [Fact]
    public async Task Usage_is_read_at_start_and_every_interval_exported_as_metrics_and_stats_with_one_warning_per_threshold()
    {
        var time = new FakeTimeProvider(Utc("2026-12-01T12:00:00Z"));
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: Ct);
        long usage = 1_500_000;
        api.Usage = () => UsageTestKit.UsageJson(Interlocked.Read(ref usage), 2_000_000, 10);
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, Settings(), time: time);
        var meters = worker.Services.GetRequiredService<IMeterFactory>();
        using var usageGauge = new MetricCollector<long>(meters, WorkerTelemetry.Name, "twitterstream.x.usage");
        using var capGauge = new MetricCollector<long>(meters, WorkerTelemetry.Name, "twitterstream.x.cap");
        using var resetGauge = new MetricCollector<long>(meters, WorkerTelemetry.Name, "twitterstream.x.cap_reset_day");

        // The cycle is entered after the first read, once the budget's stored count has been read from DynamoDB.
        var stats = await Eventually.WaitAsync(() => Task.FromResult(UsageStats(worker)), s => s.ProjectUsage is not null && s.CycleStart != default,
            TimeSpan.FromSeconds(20), "the first usage read and the billing cycle it gives");
        Assert.Equal(1, api.UsageRequests);
        Assert.Equal((1_500_000L, 2_000_000L, 10), (stats.ProjectUsage!.Value, stats.ProjectCap!.Value, stats.CapResetDay!.Value));
        Assert.Equal((Utc("2026-11-10T00:00:00Z"), Utc("2026-12-10T00:00:00Z")), (stats.CycleStart, stats.CycleEnd));
        usageGauge.RecordObservableInstruments();
        capGauge.RecordObservableInstruments();
        resetGauge.RecordObservableInstruments();
        Assert.Equal(1_500_000, usageGauge.LastMeasurement?.Value);
        Assert.Equal(2_000_000, capGauge.LastMeasurement?.Value);
        Assert.Equal(10, resetGauge.LastMeasurement?.Value);
        Assert.Empty(CapWarnings(worker));

        // Nothing more until the interval has passed on the worker's clock.
        await FakeClock.AdvanceAsync(time, Minute, TimeSpan.FromMinutes(14));
        Assert.Equal(1, api.UsageRequests);

        Interlocked.Exchange(ref usage, 1_900_000); // 95 %: both warnings are due
        await FakeClock.AdvanceUntilAsync(time, Minute, () => UsageStats(worker).ProjectUsage == 1_900_000, "the second usage read");
        Assert.Equal(2, api.UsageRequests);
        usageGauge.RecordObservableInstruments();
        Assert.Equal(1_900_000, usageGauge.LastMeasurement?.Value);

        Interlocked.Exchange(ref usage, 1_950_000);
        await FakeClock.AdvanceUntilAsync(time, Minute, () => UsageStats(worker).ProjectUsage == 1_950_000, "the third usage read");
        Assert.Equal(["80 %", "95 %"], CapWarnings(worker).Select(message => message.Contains("95 %", StringComparison.Ordinal) ? "95 %" : "80 %"));
    }

    [Fact]
    public async Task The_budget_s_count_continues_across_a_restart_and_pauses_the_stream_at_the_budget()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: Ct);
        api.EnqueueStream(new StreamScript(Lines: [.. Posts(0, 6)]));
        string table;
        IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> firstLogs;
        await using (var first = await InProcessWorker.StartAsync(api, dynamo, Settings("10")))
        {
            table = first.TableName;
            await first.WaitForStatsAsync(s => s.Stored == 6, "6 posts stored");
            Assert.Null(UsageStats(first).PausedFor);
            firstLogs = first.Logs;
        }

        // The count the first worker wrote on stopping, in its reserved item: no post can have that partition key.
        var cycle = BillingCycle.Containing(DateTimeOffset.UtcNow, 1);
        Assert.Equal(6, await StoredCountAsync(table, cycle));
        Assert.Equal(6, (await InProcessWorker.ScanAsync(dynamo, table)).Count);

        api.EnqueueStream(new StreamScript(Lines: [.. Posts(100, 6)]));
        await using var second = await InProcessWorker.StartAsync(api, dynamo, Settings("10"), existingTable: table);
        var stats = await Eventually.WaitAsync(() => Task.FromResult(UsageStats(second)), s => s.PausedFor == "budget", TimeSpan.FromSeconds(20), "the pause at the budget");
        Assert.True(stats.CyclePosts >= 10, $"counted {stats.CyclePosts}");
        Assert.Equal(cycle.End, stats.PausedUntil);

        // The line follows the pause it reports, so it may land a moment after the stats show the pause.
        await Eventually.WaitAsync(
            () => Task.FromResult(second.Logs.Count(log => log.Message.Contains("MONTHLY_POST_BUDGET reached", StringComparison.Ordinal))),
            count => count > 0, TimeSpan.FromSeconds(10), "the budget's log line");
        Assert.Single(second.Logs, log => log.Message.Contains("MONTHLY_POST_BUDGET reached", StringComparison.Ordinal));
        Assert.DoesNotContain(firstLogs, log => log.Message.Contains("% of MONTHLY_POST_BUDGET", StringComparison.Ordinal));
        Assert.Equal(
            ["reached 80 % of MONTHLY_POST_BUDGET (8 of 10)", "reached 95 % of MONTHLY_POST_BUDGET (10 of 10)"],
            second.Logs.Where(log => log.Level == LogLevel.Warning && log.Message.Contains("% of MONTHLY_POST_BUDGET", StringComparison.Ordinal))
                .Select(log => log.Message[log.Message.IndexOf("reached", StringComparison.Ordinal)..(log.Message.IndexOf(')', StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public async Task At_the_budget_the_worker_disconnects_stays_healthy_and_reconnects_at_the_cycle_reset()
    {
        var time = new FakeTimeProvider(Utc("2026-12-09T23:50:00Z"));
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: Ct);
        api.Usage = () => UsageTestKit.UsageJson(1000, 2_000_000, 10);
        api.EnqueueStream(new StreamScript(Lines: [.. Posts(0, 5)]));
        api.EnqueueStream(new StreamScript(Lines: [.. Posts(200, 3)]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, Settings("5"), time: time);
        using var http = new HttpClient { BaseAddress = worker.BaseAddress };

        var paused = await Eventually.WaitAsync(() => Task.FromResult(UsageStats(worker)), s => s.PausedFor == "budget", TimeSpan.FromSeconds(20), "the pause at the budget");
        Assert.Equal(Utc("2026-12-10T00:00:00Z"), paused.PausedUntil);
        await worker.WaitForStatsAsync(s => s.Stored == 5 && !s.StreamConnected, "the posts before the budget stored, the stream closed");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode); // disconnected, yet healthy: ECS keeps it
        Assert.Equal(1, api.StreamConnections);
        Assert.Equal(5, worker.Stats.Received);

        // Still paused a minute before the reset; the count reaches the table within seconds, not per post.
        await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(8));
        Assert.Equal(1, api.StreamConnections);
        Assert.Equal("budget", UsageStats(worker).PausedFor);
        var oldCycle = BillingCycle.Containing(Utc("2026-12-09T00:00:00Z"), 10);
        await Eventually.WaitAsync(() => StoredCountAsync(worker.TableName, oldCycle), count => count == 5, TimeSpan.FromSeconds(20), "the count in the table");

        await FakeClock.AdvanceUntilAsync(time, TimeSpan.FromSeconds(30), () => worker.Stats.Stored == 8, "the posts after the reset");
        var resumed = UsageStats(worker);
        Assert.Null(resumed.PausedFor);
        Assert.Equal(3, resumed.CyclePosts);
        Assert.Equal(Utc("2026-12-10T00:00:00Z"), resumed.CycleStart);
        Assert.Equal(2, api.StreamConnections);
    }

    [Fact]
    public async Task A_usage_capped_429_stops_connecting_until_the_reset_X_reports()
    {
        var time = new FakeTimeProvider(Utc("2026-12-09T21:00:00Z"));
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: Ct);
        api.Usage = () => UsageTestKit.UsageJson(2_000_000, 2_000_000, 10);
        api.EnqueueStream(new StreamScript(Status: 429, ProblemType: XUsage.UsageCappedProblemType));
        api.EnqueueStream(new StreamScript(Lines: [.. Posts(300, 2)]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, Settings(), time: time);
        var meters = worker.Services.GetRequiredService<IMeterFactory>();
        using var capped = new MetricCollector<long>(meters, WorkerTelemetry.Name, "twitterstream.stream.usage_capped");

        var stats = await Eventually.WaitAsync(() => Task.FromResult(UsageStats(worker)), s => s.PausedFor == "usage-cap", TimeSpan.FromSeconds(20), "the usage-cap stop");
        Assert.Equal(Utc("2026-12-10T00:00:00Z"), stats.PausedUntil);

        // An ordinary 429 is retried after 60 s; this one waits the hours until the reset.
        await FakeClock.AdvanceAsync(time, Minute, TimeSpan.FromMinutes(150));
        Assert.Equal(1, api.StreamConnections);
        Assert.Single(worker.Logs, log => log.Message.Contains("usage cap is exhausted", StringComparison.Ordinal));
        Assert.Equal(1, capped.GetMeasurementSnapshot().EvaluateAsCounter());

        await FakeClock.AdvanceUntilAsync(time, Minute, () => worker.Stats.Stored == 2, "the posts after the reset");
        Assert.Equal(2, api.StreamConnections);
        Assert.Null(UsageStats(worker).PausedFor);
    }

    [Fact]
    public async Task A_usage_read_showing_room_under_the_cap_lifts_the_stop_before_the_reset()
    {
        var time = new FakeTimeProvider(Utc("2026-12-03T09:00:00Z"));
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: Ct);
        long cap = 2_000_000;
        api.Usage = () => UsageTestKit.UsageJson(2_000_000, Interlocked.Read(ref cap), 10);
        api.EnqueueStream(new StreamScript(Status: 429, ProblemType: XUsage.UsageCappedProblemType));
        api.EnqueueStream(new StreamScript(Lines: [.. Posts(400, 1)]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, Settings(), time: time);

        await Eventually.WaitAsync(() => Task.FromResult(UsageStats(worker)), s => s.PausedFor == "usage-cap", TimeSpan.FromSeconds(20), "the usage-cap stop");
        Interlocked.Exchange(ref cap, 3_000_000); // raised in X's console
        var readsBefore = api.UsageRequests;

        // The clock stops at the next usage read and then moves by seconds, so a slow machine cannot carry it past the reset.
        await FakeClock.AdvanceUntilAsync(time, Minute, () => api.UsageRequests > readsBefore, "the next usage read");
        await FakeClock.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => worker.Stats.Stored == 1, "the post after the next usage read");
        Assert.True(time.GetUtcNow() < Utc("2026-12-04T00:00:00Z"), $"resumed only at {time.GetUtcNow():u}");
        Assert.Equal(2, api.StreamConnections);
    }

    private static UsageStats UsageStats(InProcessWorker worker) => worker.Services.GetRequiredService<UsageMetrics>().Stats();

    private static List<string> CapWarnings(InProcessWorker worker) =>
        [.. worker.Logs.Where(log => log.Level == LogLevel.Warning && log.Message.Contains("of the project's cap", StringComparison.Ordinal)).Select(log => log.Message)];

    private async Task<long> StoredCountAsync(string table, BillingCycle cycle)
    {
        using var client = dynamo.CreateClient();
        var item = (await client.GetItemAsync(new GetItemRequest { TableName = table, Key = BudgetStore.Key(cycle), ConsistentRead = true }, Ct)).Item;
        return item is { Count: > 0 } ? long.Parse(item[PostsTableSchema.BudgetPosts].N, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
