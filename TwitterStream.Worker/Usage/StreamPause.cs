namespace TwitterStream.Worker.Usage;

internal enum PauseReason
{
    /// <summary>MONTHLY_POST_BUDGET is spent for this billing cycle.</summary>
    Budget,

    /// <summary>X refused the stream with its usage-capped 429.</summary>
    UsageCap,
}

internal sealed record StreamPaused(PauseReason Reason, DateTimeOffset Until)
{
    /// <summary>As <c>/stats</c>, the metrics and the health text name it.</summary>
    public string Name => Reason == PauseReason.Budget ? "budget" : "usage-cap";
}

/// <summary>
/// Whether the stream may connect. A pause cancels the open connection (a clean disconnect: posts already read are
/// still stored) and holds further connections until it is lifted; the worker stays up and reports itself paused.
/// </summary>
internal sealed class StreamPause
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamPaused? _current;
    private CancellationTokenSource? _connection;

    public StreamPaused? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public bool IsPaused => Current is not null;

    /// <summary>The budget's count for the cycle is known: connections may start (or wait for a pause already in force).</summary>
    public void Ready() => _ready.TrySetResult();

    public async Task WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        while (true)
        {
            Task resumed;
            lock (_lock)
            {
                if (_current is null)
                {
                    return;
                }

                resumed = _resumed.Task;
            }

            await resumed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The token of one connection: cancelled when the worker stops or a pause begins.</summary>
    public Connection Connect(CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        lock (_lock)
        {
            if (_current is not null)
            {
                source.Cancel();
            }

            _connection = source;
        }

        return new Connection(this, source);
    }

    /// <summary>Pauses (or moves the end of the pause in force); true when the stream was not paused before.</summary>
    public bool Pause(PauseReason reason, DateTimeOffset until)
    {
        CancellationTokenSource? connection;
        bool first;
        lock (_lock)
        {
            first = _current is null;
            if (first)
            {
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _current = new StreamPaused(reason, until);
            connection = _connection;
        }

        try
        {
            connection?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own meanwhile.
        }

        return first;
    }

    /// <summary>Lifts the pause if it is for <paramref name="reason"/>; true when it did.</summary>
    public bool Resume(PauseReason reason)
    {
        lock (_lock)
        {
            if (_current?.Reason != reason)
            {
                return false;
            }

            _current = null;
            _resumed.TrySetResult();
            return true;
        }
    }

    private void Ended(CancellationTokenSource source)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_connection, source))
            {
                _connection = null;
            }
        }
    }

    public sealed class Connection(StreamPause pause, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            pause.Ended(source);
            source.Dispose();
        }
    }
}
