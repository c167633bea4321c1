using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace TwitterStream.Tests.Simulator;

/// <summary>A fake clock that reports every timer created, so a test knows the simulator is waiting before it moves time.</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with exactly <paramref name="dueTime"/> has been created (e.g. the simulator's keep-alive wait).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        while (await _timers.Reader.ReadAsync(cts.Token) != dueTime)
        {
        }
    }
}
