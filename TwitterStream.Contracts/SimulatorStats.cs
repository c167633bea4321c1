namespace TwitterStream.Contracts;

/// <summary>The JSON body of the simulator's <c>GET /_sim/stats</c> (camelCase, as ASP.NET Core writes it).</summary>
public sealed record SimulatorStats(
    long Connections,
    long RejectedConnections,
    long PostsSent,
    long DuplicatesSent,
    long MalformedSent,
    long KeepAlivesSent,
    long Disconnects,
    int Rules,
    long BackfillSent = 0,
    long MissedWhileDisconnected = 0,
    long BackfillRefused = 0)
{
    public const string Path = "/_sim/stats";

    /// <summary>Every stream connection attempt, answered or refused.</summary>
    public long ConnectionAttempts => Connections + RejectedConnections;
}
