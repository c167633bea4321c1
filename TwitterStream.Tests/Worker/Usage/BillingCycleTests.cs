using TwitterStream.Contracts;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Tests.Worker;

public sealed class BillingCycleTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-12-15T08:00:00Z", 10, "2026-12-10T00:00:00Z", "2027-01-10T00:00:00Z")]
    [InlineData("2026-12-09T23:59:59Z", 10, "2026-11-10T00:00:00Z", "2026-12-10T00:00:00Z")]
    [InlineData("2026-12-10T00:00:00Z", 10, "2026-12-10T00:00:00Z", "2027-01-10T00:00:00Z")]
    [InlineData("2027-01-05T00:00:00Z", 10, "2026-12-10T00:00:00Z", "2027-01-10T00:00:00Z")]
    [InlineData("2027-02-28T12:00:00Z", 31, "2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z")] // a short month resets on its last day
    [InlineData("2027-02-27T12:00:00Z", 31, "2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z")]
    [InlineData("2026-12-01T00:00:00Z", 1, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    public void A_cycle_runs_from_one_reset_day_to_the_next(string now, int resetDay, string start, string end)
    {
        var cycle = BillingCycle.Containing(Utc(now), resetDay);
        Assert.Equal(Utc(start), cycle.Start);
        Assert.Equal(Utc(end), cycle.End);
        Assert.Equal(Utc(start).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cycle.Key);
    }

    [Fact]
    public void A_time_in_another_offset_is_placed_by_its_UTC_instant() =>
        Assert.Equal(Utc("2026-12-10T00:00:00Z"), BillingCycle.Containing(Utc("2026-12-09T20:30:00-05:00"), 10).Start);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(799, 0)]
    [InlineData(800, 1)]
    [InlineData(949, 1)]
    [InlineData(950, 2)]
    [InlineData(5000, 2)]
    public void Warnings_are_due_at_80_and_95_percent(long used, int reached) =>
        Assert.Equal(reached, UsageThresholds.Reached(used, 1000));

    [Fact]
    public void X_usage_answer_is_read_with_digits_as_strings()
    {
        var at = Utc("2026-12-01T00:00:00Z");
        var usage = XUsageClient.Parse("""{"data":{"cap_reset_day":10,"project_cap":"5000000000","project_id":"1","project_usage":"43435"}}""", at);
        Assert.Equal(new XUsageReport(43435, 5_000_000_000, 10, at), usage);
        Assert.Equal(12, XUsageClient.Parse("""{"data":{"cap_reset_day":12,"project_cap":2000000,"project_usage":7}}""", at).CapResetDay);
    }

    [Theory]
    [InlineData("""{"errors":[]}""")]
    [InlineData("""{"data":{"cap_reset_day":0,"project_cap":"1","project_usage":"1"}}""")]
    [InlineData("""{"data":{"cap_reset_day":3,"project_cap":"-1","project_usage":"1"}}""")]
    [InlineData("""{"data":{"cap_reset_day":3,"project_usage":"1"}}""")]
    [InlineData("not json")]
    public void An_answer_not_in_X_usage_shape_is_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => XUsageClient.Parse(body, DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("https://api.twitter.com/2/problems/usage-capped", true)]
    [InlineData("https://api.x.com/2/problems/usage-capped", true)]
    [InlineData("about:blank", false)]
    [InlineData(null, false)]
    public void The_usage_capped_problem_is_known_by_its_type(string? type, bool capped) =>
        Assert.Equal(capped, XUsage.IsUsageCapped(type));
}
