using System.Diagnostics;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest.EndToEnd;

/// <summary>
/// Drives one scenario through a running <see cref="LocalSystem"/>: starts the worker, waits for the first post, warms
/// up, measures a window from the worker's own counters and /proc, waits until every post is stored, audits the table
/// against the simulator's ledger, and stops the worker with SIGTERM as ECS would.
/// </summary>
public static class EndToEndRun
{
    private static readonly TimeSpan FirstPostTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <param name="workerEnvironment">Adds to or overrides the worker's environment, e.g. its DynamoDB endpoint.</param>
    public static async Task<EndToEndResult> RunAsync(
        LocalSystem system,
        EndToEndScenario scenario,
        TextWriter log,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? workerEnvironment = null)
    {
        var sinceStart = Stopwatch.StartNew();
        var worker = await system.StartWorkerAsync(workerEnvironment, cancellationToken);
        var clock = Stopwatch.StartNew();

        await PollUntilAsync(worker, clock, s => s.Stats.Received > 0, TimeSpan.FromMilliseconds(200), FirstPostTimeout, "receive its first post", cancellationToken);
        clock.Restart();
        await Task.Delay(scenario.Warmup, cancellationToken);
        var start = await WorkerSnapshot.TakeAsync(worker, clock, cancellationToken);

        var closeAt = (long)Math.Ceiling(scenario.TotalPosts * scenario.CloseWindowAtStoredShare);
        var windowEnd = scenario.Warmup + scenario.Window;
        var end = await PollUntilAsync(
            worker, clock, s => s.At >= windowEnd || s.Stats.Stored >= closeAt, scenario.PollInterval, scenario.Window + scenario.PollInterval + scenario.PollInterval,
            "close the measured window", cancellationToken);
        log.WriteLine($"  {scenario.Name}: window {(end.At - start.At).TotalSeconds:0.0} s, {end.StoredPerSecondSince(start):0} stored/s; draining");

        // Every post sent must be stored before the audit: at a fixed rate the simulator is still sending its last second.
        var drainTimeout = TimeSpan.FromSeconds(30 + scenario.TotalPosts / 1_000.0);
        var drained = await PollUntilAsync(
            worker, clock, s => s.Stats.Stored >= scenario.TotalPosts && s.Stats.BufferDepth == 0, scenario.PollInterval, drainTimeout,
            $"store all {scenario.TotalPosts} posts", cancellationToken, throwOnTimeout: false);

        var audit = Completeness.From(await system.AuditAsync(cancellationToken));
        log.WriteLine($"  {scenario.Name}: {audit.Detail}");

        var stopping = Stopwatch.StartNew();
        worker.Process.Terminate();
        var exitCode = await worker.Process.WaitForExitAsync(ShutdownTimeout);

        return new EndToEndResult(
            scenario.Name,
            scenario.PostsPerSecond,
            scenario.TotalPosts,
            (end.At - start.At).TotalSeconds,
            end.StoredPerSecondSince(start),
            end.ReceivedPerSecondSince(start),
            end.LatencyPercentileSince(start, 0.50),
            end.LatencyPercentileSince(start, 0.99),
            drained.LatencyPercentileSince(null, 0.99),
            drained.Stats.LatencyMs.Max,
            drained.Process.PeakRssBytes / 1024.0 / 1024.0,
            end.CpuPercentOfOneCoreSince(start),
            drained.Process.CpuTime.TotalSeconds / (sinceStart.Elapsed - (clock.Elapsed - drained.At)).TotalSeconds * 100,
            (sinceStart.Elapsed - (clock.Elapsed - drained.At)).TotalSeconds,
            drained.Stats.Reconnects,
            drained.Stats.WriteRetries,
            drained.Stats.Rejected,
            audit,
            stopping.Elapsed.TotalSeconds,
            exitCode);
    }

    /// <summary>Polls the worker until <paramref name="done"/> holds; fails early with its output if it exits.</summary>
    private static async Task<WorkerSnapshot> PollUntilAsync(
        WorkerProcess worker,
        Stopwatch clock,
        Func<WorkerSnapshot, bool> done,
        TimeSpan pollInterval,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken,
        bool throwOnTimeout = true)
    {
        var deadline = clock.Elapsed + timeout;
        while (true)
        {
            if (worker.Process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The worker exited with code {worker.Process.ExitCode} before it could {what}:{Environment.NewLine}{worker.Process.RecentOutput}");
            }

            var snapshot = await WorkerSnapshot.TakeAsync(worker, clock, cancellationToken);
            if (done(snapshot))
            {
                return snapshot;
            }

            if (snapshot.At >= deadline)
            {
                return throwOnTimeout
                    ? throw new TimeoutException($"The worker did not {what} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{worker.Process.RecentOutput}")
                    : snapshot;
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }
}
