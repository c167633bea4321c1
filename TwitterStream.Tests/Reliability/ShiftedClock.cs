namespace TwitterStream.Tests.Reliability;

/// <summary>
/// The system clock with a wall-clock offset that a test can move forward, like an NTP step: <see cref="GetUtcNow"/>
/// jumps, while timestamps and timers run as usual, so a gap of minutes costs no minutes and pacing is undisturbed.
/// Shared by the worker and the simulator in one process, both see the same jump.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Jump(TimeSpan forward) => Interlocked.Add(ref _offsetTicks, forward.Ticks);
}
