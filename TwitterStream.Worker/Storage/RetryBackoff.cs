namespace TwitterStream.Worker.Storage;

/// <summary>
/// Jittered exponential backoff for DynamoDB retries ("equal jitter": half the exponential step plus a random half), so
/// concurrent writers that were throttled together do not retry together.
/// </summary>
internal sealed class RetryBackoff(Random random)
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    public TimeSpan Delay(int attempt)
    {
        var step = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds(step / 2 + random.NextDouble() * step / 2);
    }
}
