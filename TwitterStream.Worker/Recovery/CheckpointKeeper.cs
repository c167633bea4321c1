namespace TwitterStream.Worker.Recovery;

/// <summary>
/// Reads the durable checkpoint at start (the stream's first connection waits for it), then writes the stored-through
/// time every <see cref="Tick"/> when it moved, and once more at stop after the writer drained the buffer. Never per
/// post, and never ahead of what is stored (<see cref="StoredWatermark.StoredThrough"/>).
/// </summary>
internal sealed partial class CheckpointKeeper(
    CheckpointStore store,
    StoredWatermark watermark,
    RecoveryTracker recovery,
    TimeProvider time,
    ILogger<CheckpointKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>How long the start waits for a readable checkpoint before connecting without one.</summary>
    public static readonly TimeSpan ReadPatience = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(3);

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _written;

    /// <summary>Completes once the checkpoint was read (or could not be, and the start went on without it).</summary>
    public Task Loaded => _loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
            using var timer = new PeriodicTimer(Tick, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loaded.TrySetResult();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Registered before the writer, so stopped after it: the buffer is drained and everything read is stored.
        // Like the budget's last write, a short time of its own, and a failure is logged, not thrown.
        using var flushTime = new CancellationTokenSource(FlushTimeout);
        try
        {
            await WriteAsync(flushTime.Token);
        }
        catch (Exception exception)
        {
            LogWriteFailed(logger, exception is OperationCanceledException ? $"no answer within {FlushTimeout.TotalSeconds:0} s" : exception.Message);
        }
    }

    private async Task LoadAsync(CancellationToken stoppingToken)
    {
        var deadline = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await store.ReadAsync(stoppingToken) is { } through)
                {
                    watermark.Seed(through);
                    _written = through;
                    recovery.CheckpointKnown(through);
                    LogLoaded(logger, through);
                }
                else
                {
                    // A first run: the stream this table owes starts now. Written at once, so a crash before the first
                    // tick still leaves the next start a point to ask backfill from.
                    watermark.Seed(time.GetUtcNow());
                    recovery.FirstRun();
                    LogNone(logger);
                    await WriteAsync(stoppingToken);
                }

                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (time.GetElapsedTime(deadline) >= ReadPatience)
                {
                    LogUnreadable(logger, exception.Message);
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2_000)), time, stoppingToken);
            }
        }

        _loaded.TrySetResult();
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (watermark.StoredThrough is not { } through || through <= _written)
        {
            return;
        }

        try
        {
            await store.WriteAsync(through, cancellationToken);
            _written = through;
            recovery.CheckpointKnown(through);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The next tick tries again; the stored-through time only grows, so nothing is lost by waiting.
            LogWriteFailed(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery checkpoint: every post up to {Through:O} is stored; the first connection asks X to cover the gap since")]
    private static partial void LogLoaded(ILogger logger, DateTimeOffset through);

    [LoggerMessage(Level = LogLevel.Information, Message = "No recovery checkpoint in the table yet (a first run): the first connection asks no backfill, and the checkpoint starts now")]
    private static partial void LogNone(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the recovery checkpoint ({Reason}): the first connection asks no backfill")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the recovery checkpoint ({Reason}); trying again")]
    private static partial void LogWriteFailed(ILogger logger, string reason);
}
