using System.Text;
using System.Text.Json;
using TwitterStream.Contracts;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Worker.Telemetry;

/// <summary>One metric of an EMF document: its CloudWatch name, its unit (from CloudWatch's StandardUnit list) and value.</summary>
internal readonly record struct EmfMetric(string Name, string Unit, double Value);

/// <summary>
/// The worker's figures for one interval as a CloudWatch Embedded Metric Format document: a single JSON line whose
/// <c>_aws</c> member tells CloudWatch Logs which top-level members are metrics, so the awslogs driver's ordinary log
/// stream carries them (no agent, no PutMetricData permission).
/// </summary>
internal static class EmfDocument
{
    public const string Count = "Count";
    public const string Milliseconds = "Milliseconds";
    public const string Seconds = "Seconds";
    public const string Percent = "Percent";
    public const string None = "None";

    /// <summary>
    /// The metrics of the interval from <paramref name="previous"/> to <paramref name="current"/>: counters as their
    /// increase, gauges as they are now, latency percentiles over the posts stored in the interval only, and the usage
    /// figures only once they are known (a metric without a value would be a false 0 on a graph or an alarm).
    /// </summary>
    public static IReadOnlyList<EmfMetric> Metrics(WorkerStats current, WorkerStats previous)
    {
        var metrics = new List<EmfMetric>
        {
            new(M.PostsReceived, Count, current.Received - previous.Received),
            new(M.PostsKept, Count, current.Kept - previous.Kept),
            new(M.PostsStored, Count, current.Stored - previous.Stored),
            new(M.LinesRejected, Count, current.Rejected - previous.Rejected),
            new(M.Reconnects, Count, current.Reconnects - previous.Reconnects),
            new(M.WriteRetries, Count, current.WriteRetries - previous.WriteRetries),
            new(M.PostsDeadLettered, Count, current.DeadLettered - previous.DeadLettered),
            new(M.BufferDepth, Count, current.BufferDepth),
            new(M.StreamConnected, None, current.StreamConnected ? 1 : 0),
        };

        var window = WindowBuckets(current.LatencyMs.Buckets, previous.LatencyMs.Buckets);
        if (window.Count > 0)
        {
            metrics.Add(new(M.LatencyP50, Milliseconds, Math.Round(LatencyHistogram.Percentile(window, 0.50), 3)));
            metrics.Add(new(M.LatencyP99, Milliseconds, Math.Round(LatencyHistogram.Percentile(window, 0.99), 3)));
        }

        if (current.Recovery is { } recovery)
        {
            var before = previous.Recovery ?? recovery with { Duplicates = 0, MinutesAsked = 0, UncoveredSeconds = 0 };
            metrics.Add(new(M.UncoveredGapSeconds, Seconds, Math.Round(recovery.UncoveredSeconds - before.UncoveredSeconds, 3)));
            metrics.Add(new(M.BackfillMinutes, Count, recovery.MinutesAsked - before.MinutesAsked));
            metrics.Add(new(M.BackfillDuplicates, Count, recovery.Duplicates - before.Duplicates));
        }

        if (current.Usage is { } usage)
        {
            metrics.Add(new(M.StreamPaused, None, usage.PausedFor is null ? 0 : 1));
            metrics.Add(new(M.BudgetPosts, Count, usage.CyclePosts));
            if (usage.MonthlyPostBudget is { } budget)
            {
                metrics.Add(new(M.BudgetLimit, Count, budget));
                metrics.Add(new(M.BudgetPercent, Percent, Share(usage.CyclePosts, budget)));
            }

            if (usage.ProjectUsage is { } used && usage.ProjectCap is { } cap)
            {
                metrics.Add(new(M.XUsage, Count, used));
                metrics.Add(new(M.XCap, Count, cap));
                if (cap > 0)
                {
                    metrics.Add(new(M.XUsagePercent, Percent, Share(used, cap)));
                }
            }
        }

        return metrics;
    }

    /// <summary>The document as one line of UTF-8 JSON (no line breaks: awslogs makes each line one log event).</summary>
    public static string Write(IReadOnlyList<EmfMetric> metrics, DateTimeOffset timestamp, string deployment)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", M.Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue(M.DeploymentDimension);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var metric in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", metric.Name);
                json.WriteString("Unit", metric.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString(M.DeploymentDimension, deployment);
            foreach (var metric in metrics)
            {
                json.WriteNumber(metric.Name, metric.Value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static double Share(long part, long whole) => Math.Round(100.0 * part / whole, 2);

    /// <summary>Bucket counts only grow, so the interval's histogram is the current one minus the previous, bound by bound.</summary>
    private static List<LatencyBucket> WindowBuckets(IReadOnlyList<LatencyBucket> current, IReadOnlyList<LatencyBucket> previous)
    {
        var before = new Dictionary<double, long>();
        foreach (var bucket in previous)
        {
            before[bucket.UpperBoundMs] = bucket.Count;
        }

        var window = new List<LatencyBucket>();
        foreach (var bucket in current)
        {
            var count = bucket.Count - before.GetValueOrDefault(bucket.UpperBoundMs);
            if (count > 0)
            {
                window.Add(bucket with { Count = count });
            }
        }

        return window;
    }
}
