using Microsoft.Extensions.Time.Testing;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Tests.Worker;

public sealed class ReconnectPolicyTests
{
    private static TimeSpan[] Schedule(DisconnectReason reason, int count)
    {
        var policy = new ReconnectPolicy(new FakeTimeProvider());
        return [.. Enumerable.Range(0, count).Select(_ => policy.NextDelay(reason))];
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static TimeSpan S(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void A_drop_reconnects_at_once_then_linearly() =>
        Assert.Equal([TimeSpan.Zero, Ms(250), Ms(500), Ms(750)], Schedule(DisconnectReason.Dropped, 4));

    [Fact]
    public void Network_errors_back_off_linearly_by_250_ms_up_to_16_s()
    {
        var schedule = Schedule(DisconnectReason.NetworkError, 70);
        Assert.Equal([Ms(250), Ms(500), Ms(750)], schedule[..3]);
        Assert.Equal(S(16), schedule[63]);
        Assert.Equal(S(16), schedule[69]);
    }

    [Fact]
    public void Http_errors_back_off_exponentially_from_5_s_up_to_320_s() =>
        Assert.Equal([S(5), S(10), S(20), S(40), S(80), S(160), S(320), S(320)], Schedule(DisconnectReason.HttpError, 8));

    [Fact]
    public void Rate_limits_back_off_exponentially_from_a_minute() =>
        Assert.Equal([S(60), S(120), S(240), S(480), S(900), S(900)], Schedule(DisconnectReason.RateLimited, 6));

    [Fact]
    public void No_rules_reconnects_at_once_then_like_http_errors() =>
        Assert.Equal([TimeSpan.Zero, S(5), S(10)], Schedule(DisconnectReason.NoRules, 3));

    [Fact]
    public void A_healthy_connection_starts_the_schedule_over()
    {
        var policy = new ReconnectPolicy(new FakeTimeProvider());
        policy.NextDelay(DisconnectReason.HttpError);
        policy.NextDelay(DisconnectReason.HttpError);
        policy.Reset();
        Assert.Equal(S(5), policy.NextDelay(DisconnectReason.HttpError));
    }

    [Fact]
    public async Task The_wait_runs_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var policy = new ReconnectPolicy(time);

        var wait = policy.WaitAsync(DisconnectReason.HttpError, TestContext.Current.CancellationToken);
        time.Advance(S(4.9));
        Assert.False(wait.IsCompleted);
        time.Advance(S(0.1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.True(policy.WaitAsync(DisconnectReason.Dropped, TestContext.Current.CancellationToken).IsCompleted);
    }
}
