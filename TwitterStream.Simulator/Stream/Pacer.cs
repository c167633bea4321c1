namespace TwitterStream.Simulator.Stream;

/// <summary>
/// Releases posts at <c>rate</c> per second in bursts of <c>burst</c>: burst k is due at k·burst/rate seconds after
/// the start. Integer tick arithmetic keeps "due" and "time until next" consistent, so a fake clock never spins.
/// </summary>
internal sealed class Pacer(TimeProvider time, double rate, int burst)
{
    private long _start = time.GetTimestamp();
    private long _released;

    public bool Unlimited => rate <= 0;

    public void Restart()
    {
        _start = time.GetTimestamp();
        _released = 0;
    }

    /// <summary>How many posts may be generated now (at most <paramref name="max"/>); counts them as released.</summary>
    public int Take(int max)
    {
        if (Unlimited) return max;
        var elapsed = time.GetElapsedTime(_start).Ticks;
        var bursts = (long)(elapsed * rate / burst / TimeSpan.TicksPerSecond);
        while (DueTicks(bursts + 1) <= elapsed) bursts++;
        while (bursts >= 0 && DueTicks(bursts) > elapsed) bursts--;
        var allowed = (bursts + 1) * burst - _released;
        var taken = (int)Math.Clamp(allowed, 0, max);
        _released += taken;
        return taken;
    }

    public TimeSpan UntilNext()
    {
        var wait = DueTicks(_released / burst) - time.GetElapsedTime(_start).Ticks;
        return TimeSpan.FromTicks(Math.Max(wait, 1));
    }

    private long DueTicks(long burstIndex) => (long)Math.Ceiling(burstIndex * burst * TimeSpan.TicksPerSecond / rate);
}
