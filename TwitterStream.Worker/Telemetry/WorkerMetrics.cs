using TwitterStream.Contracts;
using System.Diagnostics.Metrics;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Telemetry;

/// <summary>
/// The worker's counters: exported through OpenTelemetry and kept in-process for <c>/stats</c> and the summary log.
/// The counters and the buffer gauge are observed, so each is exported from the start (at 0), not first when it counts;
/// the latency histogram has no value until the first post is stored (a recorded 0 would be a false latency).
/// </summary>
internal sealed class WorkerMetrics
{
    private readonly TotalledCounter _received;
    private readonly TotalledCounter _kept;
    private readonly TotalledCounter _stored;
    private readonly TotalledCounter _rejected;
    private readonly TotalledCounter _reconnects;
    private readonly TotalledCounter _writeRetries;
    private readonly TotalledCounter _deadLettered;
    private readonly Histogram<double> _latency;
    private readonly PostBuffer _buffer;
    private readonly WorkerHealthState _health;

    public WorkerMetrics(IMeterFactory meterFactory, PostBuffer buffer, WorkerHealthState health)
    {
        _buffer = buffer;
        _health = health;
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        _received = new(meter, "twitterstream.posts.received", "{post}", "Posts read from the stream.");
        _kept = new(meter, "twitterstream.posts.kept", "{post}", "Posts matching this worker's rule tag.");
        _stored = new(meter, "twitterstream.posts.stored", "{post}", "Posts written to DynamoDB.");
        _rejected = new(meter, "twitterstream.lines.rejected", "{line}", "Stream lines that were not valid posts.");
        _reconnects = new(meter, "twitterstream.stream.reconnects", "{reconnect}", "Stream reconnections.");
        _writeRetries = new(meter, "twitterstream.writes.retries", "{retry}", "BatchWriteItem retries.");
        _deadLettered = new(meter, "twitterstream.posts.dead_lettered", "{post}", "Posts DynamoDB refused for good, kept in the table's dead-letter items.");
        _latency = meter.CreateHistogram<double>("twitterstream.post.latency", "ms", "Time from receiving a post to storing it.");
        meter.CreateObservableGauge("twitterstream.buffer.depth", () => _buffer.Depth, "{post}", "Posts waiting to be written.");
    }

    public LatencyHistogram Latency { get; } = new();

    public void PostReceived() => _received.Add();

    public void PostKept() => _kept.Add();

    public void LineRejected() => _rejected.Add();

    public void Reconnected() => _reconnects.Add();

    public void WriteRetried() => _writeRetries.Add();

    public void PostDeadLettered() => _deadLettered.Add();

    public void PostStored(double latencyMilliseconds)
    {
        _stored.Add();
        _latency.Record(latencyMilliseconds);
        Latency.Record(latencyMilliseconds);
    }

    public WorkerStats Snapshot() => new(
        _received.Total,
        _kept.Total,
        _stored.Total,
        _rejected.Total,
        _reconnects.Total,
        _writeRetries.Total,
        _buffer.Depth,
        _health.StreamConnected,
        new LatencyStats(Latency.Percentile(0.50), Latency.Percentile(0.99), Latency.Max, Latency.Count, Latency.Buckets()),
        DeadLettered: _deadLettered.Total);
}

/// <summary>
/// A count kept in-process (for <c>/stats</c> and the summary log) and exported as an observable OpenTelemetry counter
/// of the same total: the exporter reads it from the start, 0 included, and counting costs one interlocked increment.
/// </summary>
internal sealed class TotalledCounter
{
    private long _total;

    public TotalledCounter(Meter meter, string name, string unit, string description) =>
        meter.CreateObservableCounter(name, () => Total, unit, description);

    public long Total => Interlocked.Read(ref _total);

    public void Add() => Interlocked.Increment(ref _total);
}
