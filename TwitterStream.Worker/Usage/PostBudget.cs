using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Usage;

/// <summary>
/// Counts the posts received in the billing cycle against MONTHLY_POST_BUDGET: warns at 80 % and 95 %, and at the
/// budget pauses the stream until the cycle resets. Counting is one interlocked add per post; the count reaches
/// DynamoDB only through <see cref="FlushAsync"/> (every few seconds), never per post. Without a budget it counts in
/// memory only.
/// </summary>
internal sealed partial class PostBudget(WorkerOptions options, BudgetStore store, StreamPause pause, ILogger<PostBudget> logger)
{
    private readonly long? _limit = options.MonthlyPostBudget;
    private readonly SemaphoreSlim _storeGate = new(1, 1);
    private readonly Lock _lock = new();
    private long _posts;
    private long _persisted;
    private long _nextMark = long.MaxValue;
    private int _marksPassed;
    private BillingCycle _cycle;

    public long? Limit => _limit;

    /// <summary>Posts received in the current cycle, stored or not yet.</summary>
    public long Posts => Interlocked.Read(ref _posts);

    public BillingCycle Cycle
    {
        get
        {
            lock (_lock)
            {
                return _cycle;
            }
        }
    }

    /// <summary>On the stream's reading path, for every post X delivered (X bills each, whichever worker keeps it).</summary>
    public void PostReceived()
    {
        var posts = Interlocked.Increment(ref _posts);
        if (posts >= Interlocked.Read(ref _nextMark))
        {
            PassMarks(posts);
        }
    }

    /// <summary>
    /// Starts counting in <paramref name="cycle"/>: what the previous cycle still owes the store is written first,
    /// then the new cycle's stored count is read, so a restart continues it. A pause for the old cycle's budget lifts.
    /// </summary>
    public async Task EnterCycleAsync(BillingCycle cycle, CancellationToken cancellationToken)
    {
        await _storeGate.WaitAsync(cancellationToken);
        try
        {
            await FlushLockedAsync(cancellationToken);
            var stored = _limit is null ? 0 : await store.ReadAsync(cycle, cancellationToken);
            lock (_lock)
            {
                // Posts counted between the flush above and here belong to the cycle boundary; they are not carried over.
                _cycle = cycle;
                _persisted = stored;
                _marksPassed = 0;
                Interlocked.Exchange(ref _posts, stored);
                Interlocked.Exchange(ref _nextMark, _limit is { } limit ? UsageThresholds.Mark(limit, 0) : long.MaxValue);
            }

            if (_limit is not null && stored < _limit && pause.Resume(PauseReason.Budget))
            {
                LogResumed(logger, cycle.Start, stored, _limit.Value);
            }

            PassMarks(stored);
        }
        finally
        {
            _storeGate.Release();
        }
    }

    /// <summary>Writes the posts counted since the last write; a failure keeps them for the next call.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _storeGate.WaitAsync(cancellationToken);
        try
        {
            await FlushLockedAsync(cancellationToken);
        }
        finally
        {
            _storeGate.Release();
        }
    }

    private async Task FlushLockedAsync(CancellationToken cancellationToken)
    {
        if (_limit is null)
        {
            return;
        }

        BillingCycle cycle;
        long pending;
        lock (_lock)
        {
            cycle = _cycle;
            pending = Posts - _persisted;
        }

        if (pending <= 0)
        {
            return;
        }

        await store.AddAsync(cycle, pending, cancellationToken);
        lock (_lock)
        {
            _persisted += pending;
        }
    }

    private void PassMarks(long posts)
    {
        if (_limit is not { } limit)
        {
            return;
        }

        var reachedBudget = false;
        BillingCycle cycle;
        lock (_lock)
        {
            cycle = _cycle;
            var warnings = UsageThresholds.WarningShares.Length;
            while (_marksPassed <= warnings && posts >= MarkAt(limit, _marksPassed))
            {
                if (_marksPassed < warnings)
                {
                    LogBudgetWarning(logger, UsageThresholds.Percent(_marksPassed), posts, limit, cycle.End);
                }
                else
                {
                    reachedBudget = true;
                }

                _marksPassed++;
            }

            Interlocked.Exchange(ref _nextMark, _marksPassed <= warnings ? MarkAt(limit, _marksPassed) : long.MaxValue);
        }

        if (reachedBudget && pause.Pause(PauseReason.Budget, cycle.End))
        {
            LogBudgetReached(logger, posts, limit, cycle.End);
        }
    }

    /// <summary>The warning marks, then the budget itself.</summary>
    private static long MarkAt(long limit, int index) =>
        index < UsageThresholds.WarningShares.Length ? UsageThresholds.Mark(limit, index) : limit;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Posts received this billing cycle reached {Percent} % of MONTHLY_POST_BUDGET ({Posts} of {Budget}); the cycle resets at {CycleEnd:u}")]
    private static partial void LogBudgetWarning(ILogger logger, int percent, long posts, long budget, DateTimeOffset cycleEnd);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MONTHLY_POST_BUDGET reached ({Posts} of {Budget} posts this billing cycle): disconnected, paused until the cycle resets at {CycleEnd:u}")]
    private static partial void LogBudgetReached(ILogger logger, long posts, long budget, DateTimeOffset cycleEnd);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "A new billing cycle began at {CycleStart:u} ({Posts} of {Budget} posts so far): reconnecting")]
    private static partial void LogResumed(ILogger logger, DateTimeOffset cycleStart, long posts, long budget);
}
