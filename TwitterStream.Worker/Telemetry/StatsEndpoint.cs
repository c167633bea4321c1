using TwitterStream.Contracts;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.Telemetry;

internal static class StatsEndpoint
{
    /// <summary>
    /// <c>GET /stats</c>: the live counters as JSON, for the benchmark and reliability harnesses. Written through the
    /// generated <see cref="ContractsJson"/>: the published (Native AOT) worker has no reflection-based serializer.
    /// </summary>
    public static WebApplication MapStats(this WebApplication app)
    {
        app.MapGet(WorkerStats.Path, (WorkerMetrics metrics, UsageMetrics usage, RecoveryTracker recovery) =>
            TypedResults.Json(metrics.Snapshot().WithUsage(usage).WithRecovery(recovery), ContractsJson.Default.WorkerStats));
        return app;
    }
}
