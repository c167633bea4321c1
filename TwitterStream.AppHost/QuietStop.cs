using Microsoft.Extensions.Hosting;

namespace TwitterStream.AppHost;

/// <summary>
/// Ctrl+C before every resource has started cancels the host's start: the host then logs "Hosting failed to start"
/// with the cancellation's stack trace and <c>Run</c> rethrows it. A stop the user asked for is not a failure, so once
/// one was asked for the host's errors are dropped and the cancellation ends the AppHost normally.
/// </summary>
public sealed class QuietStop
{
    /// <summary>The category of <c>Microsoft.Extensions.Hosting.Internal.Host</c>, which logs the start failure.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>Whether the application's stop (Ctrl+C, SIGTERM) has been asked for.</summary>
    public bool StopRequested => _stopping.IsCancellationRequested;

    public void Watch(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _stopping = lifetime.ApplicationStopping;
    }

    /// <summary>A logging filter for every provider: everything, except the host's errors once a stop was asked for.</summary>
    public bool Allows(string? category, LogLevel level) =>
        !(level >= LogLevel.Error && StopRequested && string.Equals(category, HostCategory, StringComparison.Ordinal));
}
