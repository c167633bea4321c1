namespace TwitterStream.Worker.Health;

/// <summary>What <c>/health</c> reports: whether the stream is connected and whether the last write succeeded.</summary>
internal sealed class WorkerHealthState
{
    private volatile bool _streamConnected;
    private volatile bool _writesFailing;

    public bool StreamConnected => _streamConnected;

    public bool WritesFailing => _writesFailing;

    public void StreamUp() => _streamConnected = true;

    public void StreamDown() => _streamConnected = false;

    public void WriteSucceeded() => _writesFailing = false;

    public void WriteFailed() => _writesFailing = true;
}
