namespace TwitterStream.Contracts;

/// <summary>The JSON body of the worker's <c>GET /stats</c> (camelCase, as ASP.NET Core writes it).</summary>
/// <param name="DeadLettered">Posts DynamoDB refused for good, kept in the dead-letter place (<see cref="DeadLetterSchema"/>).</param>
public sealed record WorkerStats(
    long Received,
    long Kept,
    long Stored,
    long Rejected,
    long Reconnects,
    long WriteRetries,
    int BufferDepth,
    bool StreamConnected,
    LatencyStats LatencyMs,
    UsageStats? Usage = null,
    long DeadLettered = 0)
{
    public const string Path = "/stats";
}

/// <param name="Buckets">The whole histogram, so a harness can take percentiles over a window.</param>
public sealed record LatencyStats(double P50, double P99, double Max, long Count, IReadOnlyList<LatencyBucket> Buckets);

/// <summary>One bucket of the latency histogram: how many latencies fell at or under its bound (and above the previous one).</summary>
public readonly record struct LatencyBucket(double UpperBoundMs, long Count);

/// <summary>
/// X's usage figures as last read from <c>GET /2/usage/tweets</c> (null until a read succeeded), the posts received
/// in the current billing cycle against the budget, and whether the stream is paused (and why, and until when).
/// </summary>
/// <param name="PausedFor"><c>budget</c>, <c>usage-cap</c>, or null while the worker connects as usual.</param>
public sealed record UsageStats(
    long? ProjectUsage,
    long? ProjectCap,
    int? CapResetDay,
    DateTimeOffset? UsageReadAt,
    long CyclePosts,
    long? MonthlyPostBudget,
    DateTimeOffset CycleStart,
    DateTimeOffset CycleEnd,
    string? PausedFor,
    DateTimeOffset? PausedUntil);
