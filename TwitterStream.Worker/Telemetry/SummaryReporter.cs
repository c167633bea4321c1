using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Telemetry;

/// <summary>Logs the counters at Information level every SUMMARY_INTERVAL_SECONDS.</summary>
internal sealed partial class SummaryReporter(WorkerMetrics metrics, WorkerOptions options, TimeProvider time, ILogger<SummaryReporter> logger)
    : PeriodicReporter(options.SummaryInterval, time)
{
    /// <summary>The p99 is a histogram bucket's bound (such as 153.89933993880376): a tenth of a millisecond says enough.</summary>
    protected override void Report()
    {
        var s = metrics.Snapshot();
        LogSummary(logger, s.Received, s.Kept, s.Stored, s.Rejected, s.Reconnects, s.WriteRetries, s.DeadLettered, s.BufferDepth, s.StreamConnected, Math.Round(s.LatencyMs.P99, 1));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Posts received {Received}, kept {Kept}, stored {Stored}; rejected lines {Rejected}; reconnects {Reconnects}; write retries {WriteRetries}; dead-lettered {DeadLettered}; buffered {BufferDepth}; connected {StreamConnected}; p99 latency {P99Ms} ms")]
    private static partial void LogSummary(ILogger logger, long received, long kept, long stored, long rejected, long reconnects,
        long writeRetries, long deadLettered, int bufferDepth, bool streamConnected, double p99Ms);
}
