namespace TwitterStream.Worker.XApi;

internal enum DisconnectReason
{
    /// <summary>An established stream ended, stalled or sent an error object: reconnect at once.</summary>
    Dropped,

    /// <summary>TCP/TLS/DNS failure before a response.</summary>
    NetworkError,

    /// <summary>HTTP 5xx or another retryable status.</summary>
    HttpError,

    /// <summary>HTTP 429.</summary>
    RateLimited,

    /// <summary>HTTP 409: the stream has no rules; they were re-synced.</summary>
    NoRules,
}

/// <summary>
/// X's documented reconnect schedule, counted per kind of failure until a healthy connection resets it:
/// drops reconnect at once (then linearly, if the new connection drops again before it was healthy); network errors
/// linearly +250 ms up to 16 s; HTTP errors exponentially from 5 s up to 320 s; 429 exponentially from 60 s (capped at
/// the 15-minute rate-limit window); a 409 reconnects at once after re-syncing rules, then backs off like HTTP errors.
/// </summary>
internal sealed class ReconnectPolicy(TimeProvider time)
{
    public static readonly TimeSpan NetworkStep = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan NetworkCap = TimeSpan.FromSeconds(16);
    public static readonly TimeSpan HttpStart = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan HttpCap = TimeSpan.FromSeconds(320);
    public static readonly TimeSpan RateLimitStart = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RateLimitCap = TimeSpan.FromMinutes(15);

    private readonly int[] _failures = new int[Enum.GetValues<DisconnectReason>().Length];

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan NextDelay(DisconnectReason reason)
    {
        var n = ++_failures[(int)reason];
        return reason switch
        {
            DisconnectReason.Dropped => Linear(n - 1),
            DisconnectReason.NetworkError => Linear(n),
            DisconnectReason.HttpError => Exponential(HttpStart, n - 1, HttpCap),
            DisconnectReason.RateLimited => Exponential(RateLimitStart, n - 1, RateLimitCap),
            DisconnectReason.NoRules => n == 1 ? TimeSpan.Zero : Exponential(HttpStart, n - 2, HttpCap),
            _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
        };
    }

    /// <summary>Waits out the delay for this failure on the injected clock.</summary>
    public Task WaitAsync(DisconnectReason reason, CancellationToken cancellationToken)
    {
        var delay = NextDelay(reason);
        return delay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
    }

    /// <summary>A connection delivered posts (or stayed up): the next failure starts the schedule over.</summary>
    public void Reset() => Array.Clear(_failures);

    private static TimeSpan Linear(int steps) => TimeSpan.FromTicks(Math.Min(NetworkStep.Ticks * steps, NetworkCap.Ticks));

    private static TimeSpan Exponential(TimeSpan start, int doublings, TimeSpan cap) =>
        doublings >= 30 ? cap : TimeSpan.FromTicks(Math.Min(start.Ticks << doublings, cap.Ticks));
}
