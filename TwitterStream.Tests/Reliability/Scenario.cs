using System.Globalization;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>What every scenario does the same way: simulator settings, waiting for the run to settle, the audit.</summary>
internal static class Scenario
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Settings for a finite run: <paramref name="totalPosts"/> distinct posts, all matching the worker's rule.</summary>
    public static Dictionary<string, string> Settings(int totalPosts, double postsPerSecond, int burstSize = 1, IReadOnlyDictionary<string, object>? faults = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Seed"] = "7",
            ["TotalPosts"] = totalPosts.ToString(CultureInfo.InvariantCulture),
            ["PostsPerSecond"] = postsPerSecond.ToString(CultureInfo.InvariantCulture),
            ["BurstSize"] = burstSize.ToString(CultureInfo.InvariantCulture),
            ["MatchingShare"] = "1",
        };
        foreach (var (key, value) in faults ?? new Dictionary<string, object>())
        {
            settings["Faults:" + key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        return settings;
    }

    public static WorkerProcess Worker(this LocalSystem system) =>
        system.Worker ?? throw new InvalidOperationException("The worker is not started.");

    /// <summary>
    /// Waits until the simulator has sent all <paramref name="totalPosts"/> posts and the worker has stored as many with
    /// nothing left in its buffer. A timeout is not an error here: the audit that follows says what is missing.
    /// </summary>
    public static async Task SettleAsync(LocalSystem system, int totalPosts, TimeSpan? timeout = null)
    {
        var worker = system.Worker();
        try
        {
            await Readiness.WaitUntilAsync(worker.Process, async () =>
            {
                var sent = await system.Simulator.GetCountersAsync(Token);
                if (sent.PostsSent < totalPosts)
                {
                    return false;
                }

                // Kept and stored both count re-delivered posts, so every post read is written when they meet.
                var counters = await worker.GetCountersAsync(Token);
                return counters.Kept >= totalPosts && counters.Stored >= counters.Kept && counters.BufferDepth == 0;
            }, timeout ?? ReliabilityScale.Current.Settle, $"store all {totalPosts} posts", Token);
        }
        catch (TimeoutException)
        {
        }
    }

    public static async Task<CompletenessAudit> AssertCompleteAsync(LocalSystem system, int expected)
    {
        var audit = await system.AuditAsync(Token);
        if (!audit.IsComplete || audit.Expected != expected)
        {
            var worker = system.Worker is { Process.HasExited: false } running ? (await running.GetCountersAsync(Token)).ToString() : "not running";
            Assert.Fail($"expected {expected} posts in the ledger; {audit}; simulator {await system.Simulator.GetCountersAsync(Token)}; worker {worker}");
        }

        return audit;
    }

    /// <summary>The worker is still running and reports itself healthy (stream connected, writes succeeding).</summary>
    public static async Task AssertStillRunningAsync(WorkerProcess worker)
    {
        Assert.False(worker.Process.HasExited, $"the worker exited:{Environment.NewLine}{worker.Process.RecentOutput}");
        await Readiness.WaitUntilAsync(worker.Process, () => worker.IsHealthyAsync(Token), TimeSpan.FromSeconds(30), "report healthy", Token);
    }
}

/// <summary>Samples something every <c>interval</c> in the background, with the time since it started.</summary>
internal sealed class Sampler<T> : IAsyncDisposable
{
    private readonly List<(TimeSpan At, T Value)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Sampler(Func<Task<T>> sample, TimeSpan interval)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                do
                {
                    await TakeAsync(sample, clock);
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });
    }

    private async Task TakeAsync(Func<Task<T>> sample, System.Diagnostics.Stopwatch clock)
    {
        try
        {
            var value = await sample();
            lock (_samples)
            {
                _samples.Add((clock.Elapsed, value));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
        {
            // The sampled process is restarting or gone; the next tick tries again.
        }
    }

    public IReadOnlyList<(TimeSpan At, T Value)> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
