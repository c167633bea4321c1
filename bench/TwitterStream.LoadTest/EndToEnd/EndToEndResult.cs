using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>What one end-to-end run measured. Rates, CPU and latency percentiles cover the measured window; peak RSS,
/// <see cref="WholeRunLatencyP99Ms"/> and <see cref="LatencyMaxMs"/> the whole run, start-up included.</summary>
/// <param name="OfferedPostsPerSecond">The simulator's rate; 0 = as fast as the worker reads.</param>
/// <param name="CpuPercentOfOneCore">The worker's user + system CPU time in the window over the window's wall time.</param>
/// <param name="WholeRunCpuPercentOfOneCore">The worker's CPU time from its start (JIT and start-up included) until
/// every post was stored, over the wall time since its start (<paramref name="WholeRunSeconds"/>).</param>
/// <param name="ShutdownSeconds">From SIGTERM to the worker's exit, once everything was stored.</param>
public sealed record EndToEndResult(
    string Name,
    double OfferedPostsPerSecond,
    long TotalPosts,
    double WindowSeconds,
    double StoredPerSecond,
    double ReceivedPerSecond,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double WholeRunLatencyP99Ms,
    double LatencyMaxMs,
    double PeakRssMegabytes,
    double CpuPercentOfOneCore,
    double WholeRunCpuPercentOfOneCore,
    double WholeRunSeconds,
    long Reconnects,
    long WriteRetries,
    long RejectedLines,
    Completeness Completeness,
    double ShutdownSeconds,
    int ExitCode);

/// <summary>The table against the simulator's ledger, as counts.</summary>
public sealed record Completeness(int Expected, int Stored, int Missing, int Duplicated, int Unexpected, string Detail)
{
    public bool IsComplete => Missing == 0 && Duplicated == 0 && Unexpected == 0 && Stored == Expected;

    public static Completeness From(CompletenessAudit audit) => new(
        audit.Expected, audit.Stored, audit.Missing.Count, audit.Duplicated.Count, audit.Unexpected.Count, audit.ToString());
}
