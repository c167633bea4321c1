using System.Diagnostics;
using System.Net;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.XApi;

/// <summary>
/// Syncs the rules, then keeps one stream connection open, reconnecting on X's schedule. 401/403/400 and rejected rules
/// stop the worker with a clear error. When it stops, the buffer is completed so the writer can drain it.
/// </summary>
internal sealed partial class StreamService(
    XApiClient client,
    BearerTokenSource tokens,
    RuleSynchronizer rules,
    StreamBodyReader bodyReader,
    ReconnectPolicy policy,
    PostBuffer buffer,
    WorkerMetrics metrics,
    WorkerHealthState health,
    WorkerExit exit,
    StreamPause pause,
    UsageMonitor usage,
    CheckpointKeeper checkpoints,
    RecoveryTracker recovery,
    IHostApplicationLifetime lifetime,
    ILogger<StreamService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Health and /stats must be listening first, and a fatal answer must not race the host's own start.
            await WhenStartedAsync(stoppingToken);
            await SyncRulesAsync(stoppingToken);
            await checkpoints.Loaded.WaitAsync(stoppingToken);
            for (var attempt = 0; ; attempt++)
            {
                await pause.WaitUntilOpenAsync(stoppingToken);
                if (attempt > 0)
                {
                    metrics.Reconnected();
                }

                DisconnectReason reason;
                using (var connection = pause.Connect(stoppingToken))
                {
                    try
                    {
                        reason = await ConnectOnceAsync(connection.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested && pause.IsPaused)
                    {
                        continue; // the budget is spent: a clean disconnect, then wait for the cycle's reset
                    }
                }

                stoppingToken.ThrowIfCancellationRequested();
                if (!pause.IsPaused)
                {
                    await policy.WaitAsync(reason, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopping(logger);
        }
        catch (XApiFatalException exception)
        {
            LogFatal(logger, exception.Message);
            exit.StopWithError();
        }
        catch (Exception exception)
        {
            // A bug, not an X answer: stop visibly with a non-zero exit code rather than run without a stream.
            LogCrashed(logger, exception);
            exit.StopWithError();
        }
        finally
        {
            health.StreamDown();
            buffer.Complete();
        }
    }

    private Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken).ContinueWith(
            task =>
            {
                registration.Dispose();
                return task;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    private async Task SyncRulesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await rules.SyncAsync(cancellationToken);
                return;
            }
            catch (HttpRequestException exception)
            {
                var reason = exception.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests => DisconnectReason.RateLimited,
                    null => DisconnectReason.NetworkError,
                    _ => DisconnectReason.HttpError,
                };
                LogRulesRetry(logger, exception.Message);
                await policy.WaitAsync(reason, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogRulesRetry(logger, "timed out");
                await policy.WaitAsync(DisconnectReason.NetworkError, cancellationToken);
            }
        }
    }

    private async Task<DisconnectReason> ConnectOnceAsync(CancellationToken stoppingToken)
    {
        // Covers the request until X answers; the body is read under spans of their own (ReceivedLines), linked to it.
        using var activity = WorkerTelemetry.ActivitySource.StartActivity(WorkerTelemetry.StreamConnectActivity, ActivityKind.Client);
        var token = await tokens.GetAsync(stoppingToken);
        var plan = recovery.Plan();
        HttpResponseMessage response;
        while (true)
        {
            try
            {
                response = await client.OpenStreamAsync(token, stoppingToken, plan?.Minutes ?? 0);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException
                || (exception is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                LogConnectFailed(logger, exception.Message);
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                return DisconnectReason.NetworkError;
            }

            // A plan without backfill answers the parameter with an error (400 or 403): go on without it, said once.
            if (plan is { Minutes: > 0 } && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                using (response)
                {
                    plan = recovery.Refused(plan, $"HTTP {(int)response.StatusCode}{await XApiClient.ReasonAsync(response, stoppingToken)}");
                }

                continue;
            }

            break;
        }

        using (response)
        {
            var status = response.StatusCode;
            activity?.SetTag("http.response.status_code", (int)status);
            activity?.SetTag("twitterstream.backfill_minutes", plan?.Minutes ?? 0);
            if (status == HttpStatusCode.OK)
            {
                var connection = activity?.Context ?? default;
                activity?.Stop();
                return await ReadStreamAsync(response, connection, plan, stoppingToken);
            }

            var reason = await XApiClient.ReasonAsync(response, stoppingToken);
            activity?.SetStatus(ActivityStatusCode.Error, $"HTTP {(int)status}");
            switch (status)
            {
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new XApiFatalException(
                        $"The stream refused the credentials (HTTP {(int)status}{reason}): check BEARERTOKEN or CONSUMERKEY/CONSUMERSECRETKEY and that the app is attached to a project with filtered-stream access.");
                case HttpStatusCode.BadRequest:
                    throw new XApiFatalException($"The stream rejected the request (HTTP 400{reason}); check X_API_BASE_URL.");
                case HttpStatusCode.Conflict:
                    LogNoRules(logger);
                    await SyncRulesAsync(stoppingToken);
                    return DisconnectReason.NoRules;
                case HttpStatusCode.TooManyRequests when await XUsageClient.IsUsageCappedAsync(response, stoppingToken):
                    await usage.StopForUsageCapAsync(stoppingToken);
                    return DisconnectReason.RateLimited;
                case HttpStatusCode.TooManyRequests:
                    LogHttpRetry(logger, (int)status, reason);
                    return DisconnectReason.RateLimited;
                default:
                    LogHttpRetry(logger, (int)status, reason);
                    return DisconnectReason.HttpError;
            }
        }
    }

    private async Task<DisconnectReason> ReadStreamAsync(HttpResponseMessage response, ActivityContext connection, BackfillPlan? plan, CancellationToken stoppingToken)
    {
        health.StreamUp();
        LogConnected(logger);
        recovery.Connected(plan);
        StreamSessionResult result;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(stoppingToken);
            result = await bodyReader.ReadAsync(body, stoppingToken, connection);
        }
        finally
        {
            recovery.Close();
            health.StreamDown();
        }

        if (result.DeliveredPosts)
        {
            policy.Reset();
        }

        stoppingToken.ThrowIfCancellationRequested();
        LogDisconnected(logger, result.End);
        return DisconnectReason.Dropped;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the filtered stream")]
    private static partial void LogConnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream disconnected ({End}); reconnecting")]
    private static partial void LogDisconnected(ILogger logger, StreamEnd end);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to the stream ({Reason}); backing off")]
    private static partial void LogConnectFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stream answered HTTP {Status}{Reason}; backing off")]
    private static partial void LogHttpRetry(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stream has no rules (HTTP 409); re-syncing them")]
    private static partial void LogNoRules(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule sync failed ({Reason}); retrying")]
    private static partial void LogRulesRetry(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopping: {Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopping: the stream reader failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream reading stopped; draining the buffer")]
    private static partial void LogStopping(ILogger logger);
}
