namespace TwitterStream.Worker.Telemetry;

/// <summary>Reports every interval of the <see cref="TimeProvider"/>, and once more when the worker stops so the last part counts.</summary>
internal abstract class PeriodicReporter(TimeSpan interval, TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    private PeriodicTimer? _timer;

    protected abstract void Report();

    /// <summary>
    /// The timer starts here: .NET 10 runs ExecuteAsync on the thread pool, so a timer made there would start its first
    /// interval whenever a thread got to it (late on a busy machine, and after a test's fake clock had moved).
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(interval, Time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer ?? throw new InvalidOperationException("ExecuteAsync ran before StartAsync.");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Report();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Report();
    }
}
