using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Storage;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker.Usage;

/// <summary>
/// Reads X's usage at start and every USAGE_POLL_INTERVAL_SECONDS, warns at 80 % and 95 % of X's cap (once each per
/// cycle), moves the budget into each new billing cycle, writes the budget's count every few seconds, and lifts a
/// usage-cap stop at the reset X reported. Everything runs on the injected clock.
/// </summary>
internal sealed partial class UsageMonitor(
    XUsageClient client,
    BearerTokenSource tokens,
    UsageReadings readings,
    PostBudget budget,
    StreamPause pause,
    UsageMetrics metrics,
    WorkerOptions options,
    RetryBackoff backoff,
    TimeProvider time,
    ILogger<UsageMonitor> logger) : BackgroundService
{
    /// <summary>How often the budget's count is written and the cycle's end is checked.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>X reports the reset day; until a read succeeds the budget counts by calendar month.</summary>
    public const int FallbackResetDay = 1;

    private readonly Lock _lock = new();
    private string? _capWarningsCycle;
    private int _capWarningsGiven;
    private DateTimeOffset _cappedAt;

    private XUsageReport? Latest => readings.Latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PollAsync(stoppingToken);
            await EnterFirstCycleAsync(stoppingToken);
            pause.Ready();
            var nextPoll = time.GetUtcNow() + options.UsagePollInterval;
            using var timer = new PeriodicTimer(Tick, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                if (now >= nextPoll)
                {
                    await PollAsync(stoppingToken);
                    nextPoll = now + options.UsagePollInterval;
                }

                await KeepCycleAsync(now, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(3);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Registered before the stream and the writer, so stopped after them: every post received is counted by now.
        // A drain that used up the host's shutdown time still leaves the few seconds before ECS's SIGKILL: the flush
        // gets a short time of its own rather than the host's token, and a failure is logged, never thrown (an
        // exception here would crash the process at the end of a clean stop).
        using var flushTime = new CancellationTokenSource(FlushTimeout);
        try
        {
            await budget.FlushAsync(flushTime.Token);
        }
        catch (Exception exception)
        {
            LogFlushFailed(logger, exception is OperationCanceledException ? $"no answer within {FlushTimeout.TotalSeconds:0} s" : exception.Message);
        }
    }

    /// <summary>
    /// X answered the stream with its usage-capped 429: no connection until the cap resets (the reset X reported,
    /// read again if no read has succeeded yet) — retrying earlier only burns requests.
    /// </summary>
    public async Task StopForUsageCapAsync(CancellationToken cancellationToken)
    {
        metrics.UsageCapped();
        if (Latest is null)
        {
            await PollAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        _cappedAt = now;
        var until = Latest is { } usage ? BillingCycle.Containing(now, usage.CapResetDay).End : now + options.UsagePollInterval;
        pause.Pause(PauseReason.UsageCap, until);
        LogUsageCapped(logger, until, Latest is null ? " (X's reset day is unknown: trying again then)" : "");
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        XUsageReport usage;
        try
        {
            var token = await tokens.GetAsync(cancellationToken);
            usage = await client.GetAsync(token, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or FormatException or XApiFatalException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogPollFailed(logger, exception.Message);
            return;
        }

        readings.Latest = usage;
        LogUsage(logger, usage.ProjectUsage, usage.ProjectCap, usage.CapResetDay);
        WarnNearCap(usage);
    }

    private void WarnNearCap(XUsageReport usage)
    {
        if (usage.ProjectCap <= 0)
        {
            return;
        }

        var cycle = BillingCycle.Containing(usage.ReadAt, usage.CapResetDay);
        var reached = UsageThresholds.Reached(usage.ProjectUsage, usage.ProjectCap);
        lock (_lock)
        {
            if (_capWarningsCycle != cycle.Key)
            {
                _capWarningsCycle = cycle.Key;
                _capWarningsGiven = 0;
            }

            for (; _capWarningsGiven < reached; _capWarningsGiven++)
            {
                LogCapWarning(logger, UsageThresholds.Percent(_capWarningsGiven), usage.ProjectUsage, usage.ProjectCap, cycle.End);
            }
        }
    }

    private BillingCycle CycleAt(DateTimeOffset now) => BillingCycle.Containing(now, Latest?.CapResetDay ?? FallbackResetDay);

    private async Task EnterFirstCycleAsync(CancellationToken cancellationToken)
    {
        if (budget.Limit is not null && Latest is null)
        {
            LogCalendarMonth(logger);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await budget.EnterCycleAsync(CycleAt(time.GetUtcNow()), cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Without the stored count a restart would start the budget from zero: wait for DynamoDB instead.
                LogLoadFailed(logger, exception.Message);
                await Task.Delay(backoff.Delay(attempt), time, cancellationToken);
            }
        }
    }

    private async Task KeepCycleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var cycle = CycleAt(now);
            if (cycle != budget.Cycle)
            {
                await budget.EnterCycleAsync(cycle, cancellationToken);
            }
            else
            {
                await budget.FlushAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFlushFailed(logger, exception.Message);
        }

        // A read after the stop that shows room under the cap (the cap was raised in X's console, or X reset it
        // earlier than its reset day said) lifts the stop too: at worst one refused request per poll interval.
        if (pause.Current is { Reason: PauseReason.UsageCap } capped
            && (now >= capped.Until || Latest is { } usage && usage.ReadAt > _cappedAt && usage.ProjectUsage < usage.ProjectCap)
            && pause.Resume(PauseReason.UsageCap))
        {
            LogUsageCapLifted(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "X usage this billing cycle: {Usage} of {Cap} posts; the cap resets on day {ResetDay}")]
    private static partial void LogUsage(ILogger logger, long usage, long cap, int resetDay);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "X usage reached {Percent} % of the project's cap ({Usage} of {Cap} posts); the cap resets at {CycleEnd:u}")]
    private static partial void LogCapWarning(ILogger logger, int percent, long usage, long cap, DateTimeOffset cycleEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read X usage ({Reason}); trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "X's billing cycle is not known yet: MONTHLY_POST_BUDGET counts by calendar month until a usage read succeeds")]
    private static partial void LogCalendarMonth(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the budget's count from DynamoDB ({Reason}); retrying before connecting")]
    private static partial void LogLoadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the budget's count to DynamoDB ({Reason}); keeping it for the next write")]
    private static partial void LogFlushFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "X's usage cap is exhausted (HTTP 429 usage-capped): not connecting until the cap resets at {Until:u}{Note}")]
    private static partial void LogUsageCapped(ILogger logger, DateTimeOffset until, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "X's usage cap has reset or has room again: reconnecting")]
    private static partial void LogUsageCapLifted(ILogger logger);
}
