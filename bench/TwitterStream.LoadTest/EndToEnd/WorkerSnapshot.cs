using System.Diagnostics;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>
/// The worker's <c>/stats</c> (counters and latency histogram) and its process figures from /proc, taken together at
/// one moment.
/// </summary>
public sealed record WorkerSnapshot(TimeSpan At, WorkerStats Stats, ProcessSample Process)
{
    public static async Task<WorkerSnapshot> TakeAsync(WorkerProcess worker, Stopwatch clock, CancellationToken cancellationToken)
    {
        var stats = await worker.GetCountersAsync(cancellationToken);
        var process = worker.Process.Sample();
        return new WorkerSnapshot(clock.Elapsed, stats, process);
    }

    private IReadOnlyList<LatencyBucket> Latency => Stats.LatencyMs.Buckets;

    /// <summary>Posts stored per second between <paramref name="start"/> and this snapshot.</summary>
    public double StoredPerSecondSince(WorkerSnapshot start) => PerSecond(Stats.Stored - start.Stats.Stored, start);

    public double ReceivedPerSecondSince(WorkerSnapshot start) => PerSecond(Stats.Received - start.Stats.Received, start);

    /// <summary>CPU time used between the snapshots as a percentage of one core's wall time.</summary>
    public double CpuPercentOfOneCoreSince(WorkerSnapshot start) =>
        PerSecond((Process.CpuTime - start.Process.CpuTime).TotalSeconds, start) * 100;

    /// <summary>A receive→stored latency percentile over everything stored since <paramref name="start"/> (null: since the worker started).</summary>
    public double LatencyPercentileSince(WorkerSnapshot? start, double quantile)
    {
        if (start is null)
        {
            return LatencyHistogram.Percentile(Latency, quantile);
        }

        var before = start.Latency.ToDictionary(b => b.UpperBoundMs, b => b.Count);
        return LatencyHistogram.Percentile(
            [.. Latency.Select(b => b with { Count = b.Count - before.GetValueOrDefault(b.UpperBoundMs) }).Where(b => b.Count > 0)],
            quantile);
    }

    private double PerSecond(double amount, WorkerSnapshot start) =>
        (At - start.At).TotalSeconds is > 0 and var seconds ? amount / seconds : 0;
}
