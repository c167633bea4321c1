using System.Diagnostics;
using System.Text.Json;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>The worker's <c>/stats</c> counters and its process figures from /proc, taken together at one moment.</summary>
public readonly record struct WorkerSnapshot(
    TimeSpan At,
    long Received,
    long Stored,
    long Rejected,
    long Reconnects,
    long WriteRetries,
    int BufferDepth,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    ProcessSample Process)
{
    public static async Task<WorkerSnapshot> TakeAsync(WorkerProcess worker, Stopwatch clock, CancellationToken cancellationToken)
    {
        var stats = await worker.GetStatsAsync(cancellationToken);
        var process = worker.Process.Sample();
        var at = clock.Elapsed;
        var latency = stats.GetProperty("latencyMs");
        return new WorkerSnapshot(
            at,
            stats.GetProperty("received").GetInt64(),
            stats.GetProperty("stored").GetInt64(),
            stats.GetProperty("rejected").GetInt64(),
            stats.GetProperty("reconnects").GetInt64(),
            stats.GetProperty("writeRetries").GetInt64(),
            stats.GetProperty("bufferDepth").GetInt32(),
            latency.GetProperty("p50").GetDouble(),
            latency.GetProperty("p99").GetDouble(),
            latency.GetProperty("max").GetDouble(),
            process);
    }

    /// <summary>Posts stored per second between <paramref name="start"/> and this snapshot.</summary>
    public double StoredPerSecondSince(WorkerSnapshot start) => PerSecond(Stored - start.Stored, start);

    public double ReceivedPerSecondSince(WorkerSnapshot start) => PerSecond(Received - start.Received, start);

    /// <summary>CPU time used between the snapshots as a percentage of one core's wall time.</summary>
    public double CpuPercentOfOneCoreSince(WorkerSnapshot start) =>
        PerSecond((Process.CpuTime - start.Process.CpuTime).TotalSeconds, start) * 100;

    private double PerSecond(double amount, WorkerSnapshot start) =>
        (At - start.At).TotalSeconds is > 0 and var seconds ? amount / seconds : 0;
}
