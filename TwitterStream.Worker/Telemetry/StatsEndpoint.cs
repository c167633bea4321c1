using TwitterStream.Contracts;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.Telemetry;

internal static class StatsEndpoint
{
    /// <summary><c>GET /stats</c>: the live counters as JSON, for the benchmark and reliability harnesses.</summary>
    public static WebApplication MapStats(this WebApplication app)
    {
        app.MapGet(WorkerStats.Path, (WorkerMetrics metrics, UsageMetrics usage, RecoveryTracker recovery) =>
            TypedResults.Ok(metrics.Snapshot().WithUsage(usage).WithRecovery(recovery)));
        return app;
    }
}
