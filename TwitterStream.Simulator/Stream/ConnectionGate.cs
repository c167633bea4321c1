namespace TwitterStream.Simulator.Stream;

/// <summary>One stream connection per app, as X allows.</summary>
internal sealed class ConnectionGate
{
    private int _open;

    public bool TryEnter() => Interlocked.CompareExchange(ref _open, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _open, 0);

    public bool IsOpen => Volatile.Read(ref _open) == 1;
}

/// <summary>The process-wide post sequence: a reconnect continues the live feed where the last connection stopped.</summary>
internal sealed class PostSequence
{
    private long _next = -1;
    private int _connections;

    public long Next() => Interlocked.Increment(ref _next);

    public int NextConnection() => Interlocked.Increment(ref _connections);
}
