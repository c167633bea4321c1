using System.Diagnostics;
using Amazon.Runtime;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker.Compliance;

/// <summary>How a sweep run ended, as the command's exit code.</summary>
internal enum SweepExit
{
    Finished = 0,
    Failed = 1,

    /// <summary>Another sweep holds the table (and keeps renewing its hold).</summary>
    Busy = 3,
}

/// <summary>
/// One compliance sweep: every post id in the id index, in stretches of COMPLIANCE_JOB_SIZE ids, each checked by one X
/// compliance job (create, upload, wait until complete, read the results) and acted on before the next. The state is
/// saved after every step, so a killed sweep resumes at the stretch it stood in (acting twice on a result is
/// harmless). A job that fails, expires or outlasts COMPLIANCE_JOB_TIMEOUT_SECONDS deletes nothing: the sweep stops and
/// the next run checks that stretch again.
/// </summary>
internal sealed class ComplianceSweep(
    SweepStateStore store,
    PostIdIndex index,
    XComplianceClient x,
    BearerTokenSource tokens,
    ComplianceActions actions,
    ComplianceMetrics metrics,
    WorkerOptions options,
    TimeProvider time,
    ILogger<ComplianceSweep> logger)
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Where this run's time went: reading the id index, X's jobs (create, upload, wait, download), acting on results.
    private readonly Stopwatch _reading = new();
    private readonly Stopwatch _waitingForX = new();
    private readonly Stopwatch _acting = new();

    public async Task<SweepExit> RunAsync(CancellationToken cancellationToken)
    {
        var state = await AcquireAsync(cancellationToken);
        if (state is null)
        {
            logger.LogWarning("Compliance sweep not started: another sweep holds table {Table} and is still renewing its hold.", options.TableName);
            return SweepExit.Busy;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            while (await SweepStretchAsync(state, cancellationToken))
            {
            }

            state.Status = SweepState.Finished;
            state.FinishedAt = time.GetUtcNow();
            await store.SaveAsync(state, _owner, cancellationToken);
            logger.LogInformation(
                "Compliance sweep {SweepId} finished: checked {Checked} post ids in {Jobs} X jobs, deleted {Deleted} items, modified {Modified}, by reason {ByReason}; this run took {Seconds:F1} s (reading the id index {ReadingSeconds:F1} s, X's jobs {XSeconds:F1} s, deleting and modifying {ActingSeconds:F1} s).",
                state.SweepId, state.Checked, state.Jobs, state.Deleted, state.Modified, ByReason(state), clock.Elapsed.TotalSeconds,
                _reading.Elapsed.TotalSeconds, _waitingForX.Elapsed.TotalSeconds, _acting.Elapsed.TotalSeconds);
            metrics.Ended(state, failed: false);
            return SweepExit.Finished;
        }
        catch (Exception exception) when (exception is SweepFailedException or HttpRequestException or FormatException or XApiFatalException or AmazonServiceException or SweepLeaseLostException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogError(
                "Compliance sweep {SweepId} failed after checking {Checked} post ids in {Jobs} X jobs (deleted {Deleted}, modified {Modified}, by reason {ByReason}): {Error} The stretch in progress deleted nothing; the next run checks it again.",
                state.SweepId, state.Checked, state.Jobs, state.Deleted, state.Modified, ByReason(state), exception.Message);
            metrics.Ended(state, failed: true);
            if (exception is not SweepLeaseLostException)
            {
                state.JobId = null;
                state.ChunkNext = null;
                await SaveQuietlyAsync(state);
            }

            return SweepExit.Failed;
        }
    }

    /// <summary>The state to continue (a running sweep's, else a new one) once this run holds the table; null when another sweep does.</summary>
    private async Task<SweepState?> AcquireAsync(CancellationToken cancellationToken)
    {
        // Two tries: a killed sweep's hold lapses after one lease; a live sweep renews it and keeps the table.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (stored, owner, leaseUntil) = await store.LoadAsync(cancellationToken);
            var state = stored is { Status: SweepState.Running } ? stored : SweepState.Start(time.GetUtcNow());
            if (await store.TryAcquireAsync(state, _owner, cancellationToken))
            {
                if (ReferenceEquals(state, stored))
                {
                    logger.LogInformation("Compliance sweep {SweepId} resumes (left by {Owner}): {Checked} post ids checked so far, job {JobId}.",
                        state.SweepId, owner, state.Checked, state.JobId ?? "none");
                }

                return state;
            }

            var wait = leaseUntil - time.GetUtcNow() + TimeSpan.FromMilliseconds(500);
            logger.LogInformation("Another compliance sweep ({Owner}) holds table {Table}; waiting {Seconds:F0} s for its hold to lapse.", owner, options.TableName, wait.TotalSeconds);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Checks and acts on one stretch of ids; false once there is none left.</summary>
    private async Task<bool> SweepStretchAsync(SweepState state, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        var uploaded = false;
        if (state.JobId is null)
        {
            _reading.Start();
            var chunk = await index.ReadChunkAsync(state.ChunkStart, options.ComplianceJobSize, cancellationToken);
            _reading.Stop();
            if (chunk.Ids.Count == 0)
            {
                return false;
            }

            _waitingForX.Start();
            var job = await x.CreateJobAsync(token, $"twitterstream-{state.SweepId}-{state.Jobs + 1}", cancellationToken);
            // Saved before the upload: a restart finds the job instead of asking X for a second one (X runs one at a time).
            state.JobId = job.Id;
            state.JobIds = chunk.Ids.Count;
            state.ChunkNext = chunk.Next;
            state.Jobs++;
            await store.SaveAsync(state, _owner, cancellationToken);
            await x.UploadAsync(job.UploadUrl, chunk.Ids, cancellationToken);
            uploaded = true;
        }

        _waitingForX.Start();
        var complete = await WaitForJobAsync(state, token, uploaded, cancellationToken);
        var results = await x.DownloadAsync(complete.DownloadUrl, cancellationToken);
        _waitingForX.Stop();
        _acting.Start();
        var outcome = await actions.ApplyAsync(results, cancellationToken);
        _acting.Stop();
        metrics.Job(state.JobIds, outcome);
        state.Checked += state.JobIds;
        state.Deleted += outcome.Deleted;
        state.Modified += outcome.Modified;
        foreach (var (reason, count) in outcome.DeletedByReason.Concat(outcome.ModifiedByReason))
        {
            state.ByReason[reason] = state.ByReason.GetValueOrDefault(reason) + count;
        }

        var more = state.ChunkNext is not null;
        state.ChunkStart = state.ChunkNext;
        state.ChunkNext = null;
        state.JobId = null;
        state.JobIds = 0;
        if (more)
        {
            await store.SaveAsync(state, _owner, cancellationToken);
        }

        return more;
    }

    /// <summary>Polls the job until it is complete; a failed, expired or overdue job ends the sweep.</summary>
    private async Task<ComplianceJob> WaitForJobAsync(SweepState state, string token, bool uploaded, CancellationToken cancellationToken)
    {
        var jobId = state.JobId!;
        var deadline = time.GetUtcNow() + options.ComplianceJobTimeout;
        while (true)
        {
            ComplianceJob job;
            try
            {
                job = await x.GetJobAsync(token, jobId, cancellationToken);
            }
            catch (HttpRequestException exception) when (time.GetUtcNow() < deadline && (exception.StatusCode is null || (int)exception.StatusCode >= 500 || (int)exception.StatusCode == 429))
            {
                logger.LogWarning("Reading compliance job {JobId} failed ({Error}); asking again.", jobId, exception.Message);
                await Task.Delay(options.CompliancePollInterval, time, cancellationToken);
                continue;
            }

            switch (job.Status)
            {
                case XCompliance.Complete:
                    return job;
                case XCompliance.Created when !uploaded:
                    // Killed between creating the job and uploading: read the same stretch again and upload it now.
                    var chunk = await index.ReadChunkAsync(state.ChunkStart, options.ComplianceJobSize, cancellationToken);
                    state.JobIds = chunk.Ids.Count;
                    state.ChunkNext = chunk.Next;
                    await store.SaveAsync(state, _owner, cancellationToken);
                    await x.UploadAsync(job.UploadUrl, chunk.Ids, cancellationToken);
                    uploaded = true;
                    continue;
                case XCompliance.Created or XCompliance.InProgress:
                    break;
                default:
                    throw new SweepFailedException($"X's compliance job {jobId} is {job.Status}, so none of its {state.JobIds} ids' results are used.");
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new SweepFailedException(
                    $"X's compliance job {jobId} was still {job.Status} after {options.ComplianceJobTimeout.TotalSeconds:F0} s ({WorkerVariables.ComplianceJobTimeoutSeconds}); nothing of it is used.");
            }

            await store.SaveAsync(state, _owner, cancellationToken); // renews the hold while X works
            await Task.Delay(options.CompliancePollInterval, time, cancellationToken);
        }
    }

    private async Task SaveQuietlyAsync(SweepState state)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store.SaveAsync(state, _owner, timeout.Token, release: true);
        }
        catch (Exception exception) when (exception is AmazonServiceException or SweepLeaseLostException or OperationCanceledException or HttpRequestException)
        {
            logger.LogWarning("Could not save the failed sweep's state ({Error}); the next sweep resumes from its last saved step.", exception.Message);
        }
    }

    private static string ByReason(SweepState state) =>
        state.ByReason.Count == 0 ? "none" : string.Join(", ", state.ByReason.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));
}

/// <summary>X's job did not complete; the sweep stops without using it.</summary>
internal sealed class SweepFailedException(string message) : Exception(message);
