using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Ledger;

/// <summary>The counters behind <c>GET /_sim/stats</c> (<see cref="SimulatorStats"/>).</summary>
internal sealed class SimStats
{
    private long _connections, _rejectedConnections, _postsSent, _duplicatesSent, _malformedSent, _keepAlivesSent, _disconnects;
    private long _backfillSent, _missed, _backfillRefused;

    public long PostsSent => Interlocked.Read(ref _postsSent);

    /// <summary>Distinct posts matched: sent live, or missed while no client was connected (what TotalPosts limits).</summary>
    public long PostsMatched => PostsSent + Interlocked.Read(ref _missed);

    public void BackfillSent() => Interlocked.Increment(ref _backfillSent);
    public void Missed() => Interlocked.Increment(ref _missed);
    public void BackfillRefused() => Interlocked.Increment(ref _backfillRefused);

    public void Connection() => Interlocked.Increment(ref _connections);
    public void Rejected() => Interlocked.Increment(ref _rejectedConnections);
    public long PostSent() => Interlocked.Increment(ref _postsSent);
    public void DuplicateSent() => Interlocked.Increment(ref _duplicatesSent);
    public void MalformedSent() => Interlocked.Increment(ref _malformedSent);
    public void KeepAliveSent() => Interlocked.Increment(ref _keepAlivesSent);
    public void Disconnect() => Interlocked.Increment(ref _disconnects);

    public SimulatorStats Snapshot(int rules) => new(
        Interlocked.Read(ref _connections),
        Interlocked.Read(ref _rejectedConnections),
        PostsSent,
        Interlocked.Read(ref _duplicatesSent),
        Interlocked.Read(ref _malformedSent),
        Interlocked.Read(ref _keepAlivesSent),
        Interlocked.Read(ref _disconnects),
        rules,
        Interlocked.Read(ref _backfillSent),
        Interlocked.Read(ref _missed),
        Interlocked.Read(ref _backfillRefused));
}
