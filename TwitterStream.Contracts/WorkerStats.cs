namespace TwitterStream.Contracts;

/// <summary>The JSON body of the worker's <c>GET /stats</c> (camelCase, as ASP.NET Core writes it).</summary>
public sealed record WorkerStats(
    long Received,
    long Kept,
    long Stored,
    long Rejected,
    long Reconnects,
    long WriteRetries,
    int BufferDepth,
    bool StreamConnected,
    LatencyStats LatencyMs)
{
    public const string Path = "/stats";
}

/// <param name="Buckets">The whole histogram, so a harness can take percentiles over a window.</param>
public sealed record LatencyStats(double P50, double P99, double Max, long Count, IReadOnlyList<LatencyBucket> Buckets);

/// <summary>One bucket of the latency histogram: how many latencies fell at or under its bound (and above the previous one).</summary>
public readonly record struct LatencyBucket(double UpperBoundMs, long Count);
