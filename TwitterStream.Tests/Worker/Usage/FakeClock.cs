using Microsoft.Extensions.Time.Testing;

namespace TwitterStream.Tests.Worker;

/// <summary>Moves a fake clock on in steps until a condition on the live system holds, with a real-time deadline.</summary>
public static class FakeClock
{
    /// <summary>Each step gives the worker a moment of real time to act on the timers it fired before the next check.</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; the fake clock is at {time.GetUtcNow():u}");
            }

            time.Advance(step);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Moves the clock on by <paramref name="total"/> in steps, giving the worker a moment after each.</summary>
    public static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan step, TimeSpan total)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            time.Advance(step);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
