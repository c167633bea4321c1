using System.Diagnostics.Metrics;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Telemetry;

/// <summary>
/// The worker's counters: exported through OpenTelemetry and kept in-process for <c>/stats</c> and the summary log.
/// </summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _kept;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _writeRetries;
    private readonly Histogram<double> _latency;
    private readonly PostBuffer _buffer;
    private readonly WorkerHealthState _health;

    private long _receivedCount;
    private long _keptCount;
    private long _storedCount;
    private long _rejectedCount;
    private long _reconnectCount;
    private long _writeRetryCount;

    public WorkerMetrics(IMeterFactory meterFactory, PostBuffer buffer, WorkerHealthState health)
    {
        _buffer = buffer;
        _health = health;
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        _received = meter.CreateCounter<long>("twitterstream.posts.received", "{post}", "Posts read from the stream.");
        _kept = meter.CreateCounter<long>("twitterstream.posts.kept", "{post}", "Posts matching this worker's rule tag.");
        _stored = meter.CreateCounter<long>("twitterstream.posts.stored", "{post}", "Posts written to DynamoDB.");
        _rejected = meter.CreateCounter<long>("twitterstream.lines.rejected", "{line}", "Stream lines that were not valid posts.");
        _reconnects = meter.CreateCounter<long>("twitterstream.stream.reconnects", "{reconnect}", "Stream reconnections.");
        _writeRetries = meter.CreateCounter<long>("twitterstream.writes.retries", "{retry}", "BatchWriteItem retries.");
        _latency = meter.CreateHistogram<double>("twitterstream.post.latency", "ms", "Time from receiving a post to storing it.");
        meter.CreateObservableGauge("twitterstream.buffer.depth", () => _buffer.Depth, "{post}", "Posts waiting to be written.");
    }

    public LatencyHistogram Latency { get; } = new();

    public void PostReceived()
    {
        Interlocked.Increment(ref _receivedCount);
        _received.Add(1);
    }

    public void PostKept()
    {
        Interlocked.Increment(ref _keptCount);
        _kept.Add(1);
    }

    public void LineRejected()
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1);
    }

    public void Reconnected()
    {
        Interlocked.Increment(ref _reconnectCount);
        _reconnects.Add(1);
    }

    public void WriteRetried()
    {
        Interlocked.Increment(ref _writeRetryCount);
        _writeRetries.Add(1);
    }

    public void PostStored(double latencyMilliseconds)
    {
        Interlocked.Increment(ref _storedCount);
        _stored.Add(1);
        _latency.Record(latencyMilliseconds);
        Latency.Record(latencyMilliseconds);
    }

    public WorkerStats Snapshot() => new(
        Interlocked.Read(ref _receivedCount),
        Interlocked.Read(ref _keptCount),
        Interlocked.Read(ref _storedCount),
        Interlocked.Read(ref _rejectedCount),
        Interlocked.Read(ref _reconnectCount),
        Interlocked.Read(ref _writeRetryCount),
        _buffer.Depth,
        _health.StreamConnected,
        new LatencyStats(Latency.Percentile(0.50), Latency.Percentile(0.99), Latency.Max, Latency.Count, Latency.Buckets()));
}

/// <summary>The JSON body of <c>GET /stats</c>.</summary>
public sealed record WorkerStats(
    long Received,
    long Kept,
    long Stored,
    long Rejected,
    long Reconnects,
    long WriteRetries,
    int BufferDepth,
    bool StreamConnected,
    LatencyStats LatencyMs);

/// <param name="Buckets">The whole histogram, so a harness can take percentiles over a window (see <see cref="LatencyHistogram.Buckets"/>).</param>
public sealed record LatencyStats(double P50, double P99, double Max, long Count, IReadOnlyList<LatencyBucket> Buckets);
