using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// When the worker tried to connect, read from the simulator's counters sampled every <see cref="Interval"/> (so each
/// time is late by at most one interval): to show the worker's backoff waits as X documents and never storms.
/// </summary>
internal sealed class ConnectionAttempts : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Sampler<SimulatorStats> _sampler;

    public ConnectionAttempts(SimulatorProcess simulator) =>
        _sampler = new Sampler<SimulatorStats>(() => simulator.GetCountersAsync(Scenario.Token), Interval);

    /// <summary>The time of each attempt, in order.</summary>
    public IReadOnlyList<TimeSpan> Times
    {
        get
        {
            var times = new List<TimeSpan>();
            long seen = 0;
            foreach (var (at, counters) in _sampler.Samples)
            {
                for (; seen < counters.ConnectionAttempts; seen++)
                {
                    times.Add(at);
                }
            }

            return times;
        }
    }

    /// <summary>The most attempts within any 60 s (the whole run when it was shorter).</summary>
    public int MaxPerMinute
    {
        get
        {
            var times = Times;
            var max = 0;
            for (int first = 0, last = 0; last < times.Count; last++)
            {
                while (times[last] - times[first] >= TimeSpan.FromMinutes(1))
                {
                    first++;
                }

                max = Math.Max(max, last - first + 1);
            }

            return max;
        }
    }

    /// <summary>How long the counters have been watched.</summary>
    public TimeSpan ObservedFor => _sampler.Samples is { Count: > 0 } samples ? samples[^1].At : TimeSpan.Zero;

    /// <summary>The waits between consecutive attempts.</summary>
    public IReadOnlyList<TimeSpan> Gaps => [.. Times.Zip(Times.Skip(1), (a, b) => b - a)];

    public ValueTask DisposeAsync() => _sampler.DisposeAsync();
}
