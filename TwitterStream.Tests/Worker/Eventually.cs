namespace TwitterStream.Tests.Worker;

/// <summary>Waits for a condition on a live system (counters, table contents) with a deadline.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
