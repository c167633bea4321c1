namespace TwitterStream.Worker.Usage;

/// <summary>The last usage X reported (null until a read succeeded), for the budget's cycle, the metrics and <c>/stats</c>.</summary>
internal sealed class UsageReadings
{
    private volatile XUsageReport? _latest;

    public XUsageReport? Latest
    {
        get => _latest;
        set => _latest = value;
    }
}
