using System.Diagnostics.Metrics;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Recovery;

/// <summary>
/// Plans each connection's backfill from the read-through time, remembers when X refused it (asked no more), counts
/// the posts that arrive again, and reports each gap: the recovery metrics and <c>/stats</c> as the connection opens,
/// and one log line when its catch-up is over (the first live post, a quiet read, or the end of the connection), so
/// the line can say how many posts came again.
/// </summary>
internal sealed partial class RecoveryTracker
{
    private readonly WorkerOptions _options;
    private readonly StoredWatermark _watermark;
    private readonly TimeProvider _time;
    private readonly ILogger<RecoveryTracker> _logger;
    private readonly Lock _lock = new();

    private volatile bool _refused;
    private volatile bool _firstRun;
    private DateTimeOffset? _checkpoint;
    private long _gaps;
    private double _gapSeconds;
    private long _minutesAsked;
    private long _duplicates;
    private double _uncoveredSeconds;
    private BackfillPlan? _last;
    private long _lastDuplicates;

    // The open connection's catch-up, touched by the reader's thread only.
    private BackfillPlan? _open;
    private string _openThrough = "";
    private string _openLiveFrom = "";

    public RecoveryTracker(WorkerOptions options, StoredWatermark watermark, TimeProvider time, IMeterFactory meterFactory, ILogger<RecoveryTracker> logger)
    {
        _options = options;
        _watermark = watermark;
        _time = time;
        _logger = logger;
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        meter.CreateObservableCounter("twitterstream.recovery.gaps", () => Read(() => _gaps), "{gap}",
            "Connections after a known stored-through time (every reconnect, and a start after an earlier run).");
        meter.CreateObservableCounter("twitterstream.recovery.gap", () => Read(() => _gapSeconds), "s",
            "Seconds of stream between the newest post read (or stored, at a start) and each connection.");
        meter.CreateObservableCounter("twitterstream.recovery.backfill_minutes", () => Read(() => _minutesAsked), "min",
            "backfill_minutes asked of X, summed over connections.");
        meter.CreateObservableCounter("twitterstream.recovery.duplicates", () => Read(() => _duplicates), "{post}",
            "Posts that arrived again after a gap (already read or stored) and collapsed onto their item.");
        meter.CreateObservableCounter("twitterstream.recovery.uncovered", () => Read(() => _uncoveredSeconds), "s",
            "Seconds of stream that no backfill covered (gaps over 5 minutes, or backfill off or refused): possibly missed.");
        meter.CreateObservableGauge("twitterstream.recovery.backfill_refused", () => _refused ? 1 : 0, "{state}",
            "1 once X refused backfill_minutes (a plan without it); the worker then connects without it.");
    }

    /// <summary>auto, off or refused.</summary>
    public string Mode => !_options.Backfill ? "off" : _refused ? "refused" : "auto";

    private bool Asks => _options.Backfill && !_refused;

    /// <summary>
    /// The plan for the connection about to open: its <see cref="BackfillPlan.Minutes"/> go on the request (0: none). Null
    /// for a first run's first connection (or when no stored-through time is known), which has no gap to speak of.
    /// </summary>
    public BackfillPlan? Plan()
    {
        _open = null;
        if (_firstRun)
        {
            _firstRun = false;
            return null;
        }

        return _watermark.ReadThrough is { } through ? BackfillPlan.For(through, _time.GetUtcNow(), Asks) : null;
    }

    /// <summary>No checkpoint was in the table: nothing came before the first connection, so it has no gap.</summary>
    public void FirstRun() => _firstRun = true;

    /// <summary>X refused the parameter: said once, never asked again; the same connection is retried without it.</summary>
    public BackfillPlan Refused(BackfillPlan plan, string reason)
    {
        if (!_refused)
        {
            _refused = true;
            LogRefused(_logger, reason);
        }

        return BackfillPlan.For(plan.StoredThrough, plan.ConnectAt, ask: false);
    }

    /// <summary>The connection is open with <paramref name="plan"/>: its gap counts now, and the catch-up begins.</summary>
    public void Connected(BackfillPlan? plan)
    {
        _open = plan;
        if (plan is null)
        {
            return;
        }

        _openThrough = PostsTableSchema.FormatTimestamp(plan.StoredThrough);
        _openLiveFrom = PostsTableSchema.FormatTimestamp(plan.ConnectAt);
        lock (_lock)
        {
            _gaps++;
            _gapSeconds += plan.Gap.TotalSeconds;
            _minutesAsked += plan.Minutes;
            _uncoveredSeconds += plan.Uncovered.TotalSeconds;
            _last = plan;
            _lastDuplicates = 0;
        }
    }

    /// <summary>The reader's thread, for each post it keeps, while a catch-up is open.</summary>
    public void Observe(Post post)
    {
        if (_open is null)
        {
            return;
        }

        if (string.CompareOrdinal(post.CreatedAt, _openThrough) <= 0)
        {
            lock (_lock)
            {
                _lastDuplicates++;
                _duplicates++;
            }
        }
        else if (string.CompareOrdinal(post.CreatedAt, _openLiveFrom) >= 0)
        {
            Close();
        }
    }

    /// <summary>The catch-up is over (X sent a live post, went quiet, or the connection ended): the gap's one log line.</summary>
    public void Close()
    {
        if (_open is not { } plan)
        {
            return;
        }

        _open = null;
        long duplicates;
        lock (_lock)
        {
            duplicates = _lastDuplicates;
        }

        var asked = plan.Minutes > 0 ? $"asked backfill_minutes={plan.Minutes}" : $"no backfill asked (BACKFILL {Mode})";
        if (plan.UncoveredFrom is { } from && plan.UncoveredTo is { } to)
        {
            var why = plan.Minutes == BackfillPlan.MaxMinutes ? "longer than X's 5 minutes of backfill" : $"backfill {Mode}";
            LogGapMissed(_logger, plan.Gap.TotalSeconds, asked, duplicates, plan.Uncovered.TotalSeconds, from, to, why);
        }
        else
        {
            LogGapCovered(_logger, plan.Gap.TotalSeconds, asked, duplicates);
        }
    }

    /// <summary>The stored-through time now in DynamoDB.</summary>
    public void CheckpointKnown(DateTimeOffset through)
    {
        lock (_lock)
        {
            _checkpoint = through;
        }
    }

    public RecoveryStats Stats()
    {
        lock (_lock)
        {
            var last = _last is { } plan
                ? new RecoveryGap(plan.ConnectAt, plan.StoredThrough, plan.Gap.TotalSeconds, plan.Minutes, plan.Uncovered.TotalSeconds,
                    plan.UncoveredFrom, plan.UncoveredTo, _lastDuplicates)
                : null;
            return new RecoveryStats(Mode, _checkpoint, _gaps, Math.Round(_gapSeconds, 3), _minutesAsked, _duplicates, Math.Round(_uncoveredSeconds, 3), last);
        }
    }

    private T Read<T>(Func<T> figure)
    {
        lock (_lock)
        {
            return figure();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "X refused backfill_minutes ({Reason}): connecting without it from now on; gaps are reported as possibly missed")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stream gap {GapSeconds:0.0} s since the newest post read or stored: {Asked}; {Duplicates} posts arrived again and collapsed; possibly missed: 0 s of stream")]
    private static partial void LogGapCovered(ILogger logger, double gapSeconds, string asked, long duplicates);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stream gap {GapSeconds:0.0} s since the newest post read or stored: {Asked}; {Duplicates} posts arrived again and collapsed; possibly missed: {UncoveredSeconds:0.0} s of stream (posts created {From:O} to {To:O}, {Why})")]
    private static partial void LogGapMissed(ILogger logger, double gapSeconds, string asked, long duplicates, double uncoveredSeconds, DateTimeOffset from, DateTimeOffset to, string why);
}

internal static class RecoveryStatsExtensions
{
    /// <summary>The <c>/stats</c> body with the recovery part.</summary>
    public static WorkerStats WithRecovery(this WorkerStats stats, RecoveryTracker recovery) => stats with { Recovery = recovery.Stats() };
}
