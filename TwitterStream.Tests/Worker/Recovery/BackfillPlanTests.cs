using TwitterStream.Worker.Recovery;

namespace TwitterStream.Tests.Worker.Recovery;

public sealed class BackfillPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.5, 1)] // a quick reconnect: one minute reaches back past the last post and the margin
    [InlineData(54, 1)]
    [InlineData(56, 2)] // 56 s + the 5 s margin is past a minute: rounded up
    [InlineData(170, 3)]
    [InlineData(295, 5)]
    [InlineData(296, 5)] // 301 s needed: X's 5 minutes leave 1 s uncovered
    [InlineData(3_600, 5)]
    public void Asks_the_whole_minutes_that_cover_the_gap_and_its_margin_at_most_five(double gapSeconds, int minutes)
    {
        var plan = BackfillPlan.For(Now.AddSeconds(-gapSeconds), Now, ask: true);

        Assert.Equal(minutes, plan.Minutes);
        Assert.Equal(gapSeconds, plan.Gap.TotalSeconds, 3);
        var uncovered = Math.Max(0, gapSeconds + BackfillPlan.Margin.TotalSeconds - minutes * 60);
        Assert.Equal(uncovered, plan.Uncovered.TotalSeconds, 3);
    }

    [Fact]
    public void Beyond_five_minutes_the_uncovered_span_runs_from_before_the_last_stored_post_to_where_backfill_begins()
    {
        var through = Now.AddMinutes(-7);

        var plan = BackfillPlan.For(through, Now, ask: true);

        Assert.Equal(5, plan.Minutes);
        Assert.Equal(through - BackfillPlan.Margin, plan.UncoveredFrom);
        Assert.Equal(Now.AddMinutes(-5), plan.UncoveredTo);
        Assert.Equal(125, plan.Uncovered.TotalSeconds, 3);
    }

    [Fact]
    public void Without_backfill_the_whole_gap_is_uncovered_and_nothing_is_asked()
    {
        var through = Now.AddSeconds(-30);

        var plan = BackfillPlan.For(through, Now, ask: false);

        Assert.Equal(0, plan.Minutes);
        Assert.Equal(through - BackfillPlan.Margin, plan.UncoveredFrom);
        Assert.Equal(Now, plan.UncoveredTo);
    }
}
