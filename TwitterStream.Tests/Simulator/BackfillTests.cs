using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TwitterStream.Contracts;
using TwitterStream.Tests.Worker;

namespace TwitterStream.Tests.Simulator;

/// <summary><c>backfill_minutes</c> as X documents it: the window's posts that still match, oldest first, then live ones.</summary>
public sealed class BackfillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SimulatorStats> WaitForStatsAsync(SimulatorHost sim, Func<SimulatorStats, bool> done, string what) =>
        await Eventually.WaitAsync(sim.StatsAsync, done, TimeSpan.FromSeconds(15), what);

    [Fact]
    public async Task A_reconnect_with_backfill_gets_the_windows_posts_again_oldest_first_recorded_as_re_deliveries()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"), ("TotalPosts", "30"), ("KeepAliveSeconds", "1"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        var live = await ReadThenDisconnectAsync(sim, 30);
        await using var second = await sim.ConnectAsync("?backfill_minutes=1");

        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        Assert.Equal(live, (await second.ReadPostsAsync(30)).Select(Id));
        var next = await second.ReadLineAsync();
        Assert.True(next is { Length: 0 }, "then live: nothing new (TotalPosts reached), a keep-alive");
        var stats = await sim.StatsAsync();
        Assert.Equal(30, stats.PostsSent);
        Assert.Equal(30, stats.BackfillSent);
        var ledger = await sim.LedgerAsync();
        Assert.Equal(live, ledger.Where(line => !line.TryGetProperty(LedgerEntry.DeliveryField, out _)).Select(line => line.GetProperty("id").GetString()));
        Assert.Equal(live, ledger.Where(line => line.TryGetProperty(LedgerEntry.DeliveryField, out var d) && d.GetString() == LedgerEntry.Backfilled)
            .Select(line => line.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_history_limit_keeps_only_the_newest_posts_for_backfill()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"), ("TotalPosts", "30"), ("BackfillHistoryPosts", "10"), ("KeepAliveSeconds", "1"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        var live = await ReadThenDisconnectAsync(sim, 30);
        await using var second = await sim.ConnectAsync("?backfill_minutes=5");

        Assert.Equal(live[^10..], (await second.ReadPostsAsync(10)).Select(Id));
        var next = await second.ReadLineAsync();
        Assert.True(next is { Length: 0 }, "nothing older than the newest 10 is sent again");
    }

    [Fact]
    public async Task Backfill_sends_only_the_posts_that_still_match_a_rule()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"), ("TotalPosts", "10"), ("KeepAliveSeconds", "1"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        await ReadThenDisconnectAsync(sim, 10);
        using (var deleteAll = await sim.Client.PostAsJsonAsync(XApiPaths.Rules + "?delete_all=true", new { }, Ct))
        {
            deleteAll.EnsureSuccessStatusCode();
        }

        await sim.AddRulesAsync(("zzqqxxnevermatches", "other"));
        await using var second = await sim.ConnectAsync("?backfill_minutes=5");

        var first = await second.ReadLineAsync();
        Assert.True(first is { Length: 0 }, "a keep-alive first: none of the window's posts matches now");
        Assert.Equal(0, (await sim.StatsAsync()).BackfillSent);
    }

    [Fact]
    public async Task Posts_matched_while_no_client_was_connected_are_missed_until_backfill_brings_them()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "500"), ("MatchingShare", "1"), ("MatchWhileDisconnected", "true"), ("TotalPosts", "40"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        await WaitForStatsAsync(sim, s => s.MissedWhileDisconnected == 40, "40 posts matched while nobody was connected");
        var missed = (await sim.LedgerAsync())
            .Where(line => line.GetProperty(LedgerEntry.DeliveryField).GetString() == LedgerEntry.Missed)
            .Select(line => line.GetProperty("id").GetString())
            .ToList();
        Assert.Equal(40, missed.Count);

        await using var stream = await sim.ConnectAsync("?backfill_minutes=2");

        Assert.Equal(missed, (await stream.ReadPostsAsync(40)).Select(Id));
        Assert.Equal(0, (await sim.StatsAsync()).PostsSent);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("1.5")]
    public async Task A_value_other_than_one_to_five_whole_minutes_is_a_400(string minutes)
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync($"?backfill_minutes={minutes}");

        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Contains("backfill_minutes", await stream.Response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_without_backfill_refuses_the_parameter_with_xs_403_and_serves_the_stream_without_it()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"), ("RefuseBackfill", "true"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using (var refused = await sim.ConnectAsync("?backfill_minutes=2"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("https://api.x.com/2/problems/client-forbidden", problem.RootElement.GetProperty("type").GetString());
        }

        await using var plain = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, plain.Response.StatusCode);
        await plain.ReadPostAsync();
        Assert.Equal(1, (await sim.StatsAsync()).BackfillRefused);
    }

    /// <summary>Reads <paramref name="count"/> posts on a first connection, closes it, and waits until the simulator saw it close.</summary>
    private static async Task<List<string>> ReadThenDisconnectAsync(SimulatorHost sim, int count)
    {
        List<string> ids;
        await using (var connection = await sim.ConnectAsync())
        {
            ids = [.. (await connection.ReadPostsAsync(count)).Select(Id)];
        }

        await WaitForStatsAsync(sim, s => s.Disconnects == 1, "the first connection to close");
        return ids;
    }

    private static string Id(JsonElement post) => post.GetProperty("data").GetProperty("id").GetString()!;
}
