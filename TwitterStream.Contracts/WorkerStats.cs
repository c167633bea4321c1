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
    RecoveryStats? Recovery = null,
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

/// <summary>
/// Recovery across reconnects and restarts (X's <c>backfill_minutes</c>): the durable checkpoint, the totals over every
/// connection so far, and the last connection's gap.
/// </summary>
/// <param name="Backfill"><c>auto</c>, <c>off</c> (BACKFILL=off), or <c>refused</c> (X refused the parameter; not asked again).</param>
/// <param name="CheckpointAt">The stored-through time last written to DynamoDB (null until one was written or read).</param>
/// <param name="Gaps">Connections that followed a known checkpoint (every reconnect, and a start after an earlier run).</param>
/// <param name="UncoveredSeconds">Seconds of stream no backfill covered (gaps over 5 minutes, or backfill off or refused): possibly missed.</param>
public sealed record RecoveryStats(
    string Backfill,
    DateTimeOffset? CheckpointAt,
    long Gaps,
    double GapSeconds,
    long MinutesAsked,
    long Duplicates,
    double UncoveredSeconds,
    RecoveryGap? Last);

/// <summary>One connection's gap: since the stored-through time, what was asked, what came again, what stayed uncovered.</summary>
/// <param name="UncoveredFrom">Start of the possibly missed span (created_at), null when backfill covered the whole gap.</param>
/// <param name="UncoveredTo">End of the possibly missed span (exclusive).</param>
/// <param name="Duplicates">Posts on this connection at or before the stored-through time: already stored, they collapsed.</param>
public sealed record RecoveryGap(
    DateTimeOffset ConnectedAt,
    DateTimeOffset StoredThrough,
    double GapSeconds,
    int MinutesAsked,
    double UncoveredSeconds,
    DateTimeOffset? UncoveredFrom,
    DateTimeOffset? UncoveredTo,
    long Duplicates);
