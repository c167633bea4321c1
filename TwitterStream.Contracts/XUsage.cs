namespace TwitterStream.Contracts;

/// <summary>
/// X's pay-per-use usage contract, as the worker reads it and the simulator serves it: <c>GET /2/usage/tweets</c>
/// answers <c>{"data":{"cap_reset_day":10,"project_cap":"2000000","project_id":"…","project_usage":"43435"}}</c> (cap
/// and usage are strings of digits), and a stream request past the cap answers 429 with the usage-capped problem.
/// </summary>
public static class XUsage
{
    public const string Data = "data";
    public const string CapResetDay = "cap_reset_day";
    public const string ProjectCap = "project_cap";
    public const string ProjectId = "project_id";
    public const string ProjectUsage = "project_usage";

    /// <summary>The monthly post reads of a pay-per-use project (2026).</summary>
    public const long DefaultProjectCap = 2_000_000;

    /// <summary>X answers with api.twitter.com in the type; matching the path keeps api.x.com working too.</summary>
    public const string UsageCappedProblemType = "https://api.twitter.com/2/problems/usage-capped";

    public const string UsageCappedProblemPath = "/2/problems/usage-capped";

    public static bool IsUsageCapped(string? problemType) =>
        problemType is not null && problemType.EndsWith(UsageCappedProblemPath, StringComparison.Ordinal);
}

/// <summary>
/// One billing cycle: from a reset (00:00 UTC on <see cref="ResetDay"/>, or the month's last day when the month is
/// shorter) up to the next. X resets the cap on the day of the month its usage answer names as <c>cap_reset_day</c>.
/// </summary>
public readonly record struct BillingCycle(DateTimeOffset Start, DateTimeOffset End, int ResetDay)
{
    /// <summary>The cycle <paramref name="now"/> falls in.</summary>
    public static BillingCycle Containing(DateTimeOffset now, int resetDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resetDay, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resetDay, 31);
        var utc = now.ToUniversalTime();
        var start = ResetIn(utc.Year, utc.Month, resetDay);
        if (start > utc)
        {
            var previous = utc.AddMonths(-1);
            start = ResetIn(previous.Year, previous.Month, resetDay);
        }

        var following = start.AddMonths(1);
        return new BillingCycle(start, ResetIn(following.Year, following.Month, resetDay), resetDay);
    }

    /// <summary>Names the cycle by the date it started, e.g. <c>2026-12-10</c>.</summary>
    public string Key => Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset ResetIn(int year, int month, int resetDay) =>
        new(year, month, Math.Min(resetDay, DateTime.DaysInMonth(year, month)), 0, 0, 0, TimeSpan.Zero);
}
