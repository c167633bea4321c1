using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using TwitterStream.Worker.Telemetry;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Tests.Worker.Telemetry;

public sealed class EmfDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static WorkerStats Stats(long received, long stored, long retries, bool connected, IReadOnlyList<LatencyBucket> buckets, UsageStats? usage = null) =>
        new(received, received - 1, stored, 3, 1, retries, 42, connected, new LatencyStats(0, 0, 0, stored, buckets), usage, DeadLettered: retries / 2);

    private static UsageStats Usage(long? xUsage, long? cap, long cyclePosts, long? budget, string? paused = null) =>
        new(xUsage, cap, 10, Now, cyclePosts, budget, Now.AddDays(-5), Now.AddDays(25), paused, null);

    private static JsonObject Parse(string line) => (JsonObject)JsonNode.Parse(line)!;

    [Fact]
    public void A_document_with_every_metric_keeps_the_specification_and_carries_the_interval_figures()
    {
        var previous = Stats(100, 90, 2, true, [new(1.0, 50), new(5.0, 40)], Usage(1_000, 2_000_000, 500, 100_000));
        var current = Stats(250, 230, 5, true, [new(1.0, 150), new(5.0, 79), new(80.0, 1)], Usage(1_800_000, 2_000_000, 95_000, 100_000, "budget"));

        var line = EmfDocument.Write(EmfDocument.Metrics(current, previous), Now, "prod");

        Assert.Empty(EmfRules.Violations(line, Now));
        var document = Parse(line);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), document["_aws"]!["Timestamp"]!.GetValue<long>());
        var directive = document["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.Equal(M.Namespace, directive["Namespace"]!.GetValue<string>());
        Assert.Equal("[[\"Deployment\"]]", directive["Dimensions"]!.ToJsonString());
        Assert.Equal("prod", document[M.DeploymentDimension]!.GetValue<string>());
        Assert.Equal(150, document[M.PostsReceived]!.GetValue<double>());
        Assert.Equal(140, document[M.PostsStored]!.GetValue<double>());
        Assert.Equal(3, document[M.WriteRetries]!.GetValue<double>());
        Assert.Equal(1, document[M.PostsDeadLettered]!.GetValue<double>());
        Assert.Equal(0, document[M.Reconnects]!.GetValue<double>());
        Assert.Equal(42, document[M.BufferDepth]!.GetValue<double>());
        Assert.Equal(1, document[M.StreamConnected]!.GetValue<double>());
        // The interval stored 100 posts at 1 ms, 39 at 5 ms and 1 at 80 ms: its p99 is 5 ms, not the run's.
        Assert.Equal(1.0, document[M.LatencyP50]!.GetValue<double>());
        Assert.Equal(5.0, document[M.LatencyP99]!.GetValue<double>());
        Assert.Equal(90.0, document[M.XUsagePercent]!.GetValue<double>());
        Assert.Equal(95.0, document[M.BudgetPercent]!.GetValue<double>());
        Assert.Equal(1, document[M.StreamPaused]!.GetValue<double>());
        var units = directive["Metrics"]!.AsArray().ToDictionary(m => m!["Name"]!.GetValue<string>(), m => m!["Unit"]!.GetValue<string>());
        Assert.Equal("Count", units[M.PostsReceived]);
        Assert.Equal("Milliseconds", units[M.LatencyP99]);
        Assert.Equal("Percent", units[M.XUsagePercent]);
        Assert.Equal("None", units[M.StreamConnected]);
        Assert.Equal(18, units.Count);
    }

    [Fact]
    public void Figures_not_known_yet_are_left_out_rather_than_written_as_zero()
    {
        var start = Stats(0, 0, 0, false, [], Usage(null, null, 0, null));

        var line = EmfDocument.Write(EmfDocument.Metrics(start, start), Now, "dev");

        Assert.Empty(EmfRules.Violations(line, Now));
        var document = Parse(line);
        foreach (var absent in new[] { M.LatencyP50, M.LatencyP99, M.XUsage, M.XCap, M.XUsagePercent, M.BudgetLimit, M.BudgetPercent })
        {
            Assert.Null(document[absent]);
            Assert.DoesNotContain(absent, document["_aws"]!.ToJsonString());
        }

        Assert.Equal(0, document[M.StreamConnected]!.GetValue<double>());
        Assert.Equal(0, document[M.BudgetPosts]!.GetValue<double>());
    }

    [Fact]
    public void The_uncovered_gap_backfill_minutes_and_duplicates_are_the_intervals_increase_in_seconds_and_counts()
    {
        var gap = new RecoveryGap(Now, Now.AddMinutes(-7), 420, 5, 125, Now.AddMinutes(-7).AddSeconds(-5), Now.AddMinutes(-5), 40);
        var previous = Stats(100, 90, 0, true, []) with { Recovery = new RecoveryStats("auto", Now.AddMinutes(-8), 3, 30, 3, 60, 0, null) };
        var current = Stats(200, 190, 0, true, []) with { Recovery = new RecoveryStats("auto", Now, 4, 450, 8, 100, 125.5, gap) };

        var line = EmfDocument.Write(EmfDocument.Metrics(current, previous), Now, "prod");

        Assert.Empty(EmfRules.Violations(line, Now));
        var document = Parse(line);
        Assert.Equal(125.5, document[M.UncoveredGapSeconds]!.GetValue<double>());
        Assert.Equal(5, document[M.BackfillMinutes]!.GetValue<double>());
        Assert.Equal(40, document[M.BackfillDuplicates]!.GetValue<double>());
        var units = document["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.AsArray()
            .ToDictionary(m => m!["Name"]!.GetValue<string>(), m => m!["Unit"]!.GetValue<string>());
        Assert.Equal("Seconds", units[M.UncoveredGapSeconds]);
        Assert.Equal("Count", units[M.BackfillDuplicates]);
    }

    [Fact]
    public void The_rules_catch_what_CloudWatch_would_refuse()
    {
        var valid = EmfDocument.Write([new("PostsStored", "Count", 1)], Now, "prod");
        Assert.Empty(EmfRules.Violations(valid, Now));

        Assert.NotEmpty(EmfRules.Violations(EmfDocument.Write([new("PostsStored", "Posts", 1)], Now, "prod"), Now));
        Assert.NotEmpty(EmfRules.Violations(EmfDocument.Write([new("", "Count", 1)], Now, "prod"), Now));
        Assert.NotEmpty(EmfRules.Violations(EmfDocument.Write(Enumerable.Range(0, 101).Select(i => new EmfMetric($"M{i}", "Count", i)).ToList(), Now, "prod"), Now));
        Assert.NotEmpty(EmfRules.Violations(EmfDocument.Write([new("PostsStored", "Count", 1)], Now, ""), Now));
        Assert.NotEmpty(EmfRules.Violations(valid, Now.AddDays(15)));
        Assert.NotEmpty(EmfRules.Violations(valid.Replace("\"PostsStored\":1", "\"PostsStored\":\"1\"", StringComparison.Ordinal), Now));
        Assert.NotEmpty(EmfRules.Violations(valid.Replace("\"Namespace\":\"TwitterStream\"", "\"Namespace\":\"a:b\"", StringComparison.Ordinal), Now));
    }
}
