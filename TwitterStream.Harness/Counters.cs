using System.Text.Json;

namespace TwitterStream.Harness;

/// <summary>The worker's <c>GET /stats</c> counters.</summary>
public sealed record WorkerCounters(
    long Received,
    long Kept,
    long Stored,
    long Rejected,
    long Reconnects,
    long WriteRetries,
    long BufferDepth,
    bool StreamConnected)
{
    public static WorkerCounters From(JsonElement stats) => new(
        Number(stats, "received"),
        Number(stats, "kept"),
        Number(stats, "stored"),
        Number(stats, "rejected"),
        Number(stats, "reconnects"),
        Number(stats, "writeRetries"),
        Number(stats, "bufferDepth"),
        stats.TryGetProperty("streamConnected", out var connected) && connected.ValueKind == JsonValueKind.True);

    internal static long Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : throw new FormatException($"The stats have no number '{name}': {json}");
}

/// <summary>The simulator's <c>GET /_sim/stats</c> counters.</summary>
public sealed record SimulatorCounters(
    long Connections,
    long RejectedConnections,
    long PostsSent,
    long DuplicatesSent,
    long MalformedSent,
    long KeepAlivesSent,
    long Disconnects)
{
    /// <summary>Every stream connection attempt, answered or refused.</summary>
    public long ConnectionAttempts => Connections + RejectedConnections;

    public static SimulatorCounters From(JsonElement stats) => new(
        WorkerCounters.Number(stats, "connections"),
        WorkerCounters.Number(stats, "rejectedConnections"),
        WorkerCounters.Number(stats, "postsSent"),
        WorkerCounters.Number(stats, "duplicatesSent"),
        WorkerCounters.Number(stats, "malformedSent"),
        WorkerCounters.Number(stats, "keepAlivesSent"),
        WorkerCounters.Number(stats, "disconnects"));
}
