using System.Diagnostics.Metrics;
using TwitterStream.Contracts;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Usage;

/// <summary>
/// X's usage, cap and reset day, the budget's count and the pause, exported on the worker's meter (the Aspire
/// dashboard shows them) and in <c>/stats</c>.
/// </summary>
internal sealed class UsageMetrics
{
    private readonly Counter<long> _usageCapped;
    private readonly UsageReadings _readings;
    private readonly PostBudget _budget;
    private readonly StreamPause _pause;

    public UsageMetrics(IMeterFactory meterFactory, UsageReadings readings, PostBudget budget, StreamPause pause)
    {
        _readings = readings;
        _budget = budget;
        _pause = pause;
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        meter.CreateObservableGauge("twitterstream.x.usage", () => Reported(usage => usage.ProjectUsage), "{post}",
            "Posts read by the X project this billing cycle, as X's usage endpoint last reported.");
        meter.CreateObservableGauge("twitterstream.x.cap", () => Reported(usage => usage.ProjectCap), "{post}",
            "The X project's monthly cap of post reads.");
        meter.CreateObservableGauge("twitterstream.x.cap_reset_day", () => Reported(usage => usage.CapResetDay), "{day}",
            "The day of the month X resets the cap.");
        meter.CreateObservableGauge("twitterstream.budget.posts", () => _budget.Posts, "{post}",
            "Posts received in the current billing cycle (counted durably when MONTHLY_POST_BUDGET is set).");
        meter.CreateObservableGauge("twitterstream.budget.limit", () => _budget.Limit is { } limit ? [new Measurement<long>(limit)] : Array.Empty<Measurement<long>>(),
            "{post}", "MONTHLY_POST_BUDGET.");
        meter.CreateObservableGauge("twitterstream.stream.paused", Paused, "{pause}",
            "1 while the stream is paused (tag reason: budget or usage-cap), else 0.");
        _usageCapped = meter.CreateCounter<long>("twitterstream.stream.usage_capped", "{stop}",
            "Times X refused the stream with its usage-capped 429 and the worker stopped connecting until the reset.");
    }

    public void UsageCapped() => _usageCapped.Add(1);

    public UsageStats Stats()
    {
        var usage = _readings.Latest;
        var cycle = _budget.Cycle;
        var paused = _pause.Current;
        return new UsageStats(usage?.ProjectUsage, usage?.ProjectCap, usage?.CapResetDay, usage?.ReadAt, _budget.Posts, _budget.Limit,
            cycle.Start, cycle.End, paused?.Name, paused?.Until);
    }

    private IEnumerable<Measurement<long>> Reported(Func<XUsageReport, long> figure) =>
        _readings.Latest is { } usage ? [new Measurement<long>(figure(usage))] : [];

    private Measurement<int> Paused() => _pause.Current is { } paused
        ? new Measurement<int>(1, new KeyValuePair<string, object?>("reason", paused.Name))
        : new Measurement<int>(0);
}
