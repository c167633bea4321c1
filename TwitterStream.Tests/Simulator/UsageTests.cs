using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Simulator;

public sealed class UsageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (string, string)[] Settings(long cap, int resetDay, long startingUsage) =>
    [
        ("PostsPerSecond", "0"),
        ("MatchingShare", "1"),
        ("Usage:Cap", cap.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Usage:CapResetDay", resetDay.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Usage:StartingUsage", startingUsage.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    [Fact]
    public async Task Usage_is_reported_in_X_shape_counting_the_posts_sent_on_top_of_the_starting_usage()
    {
        await using var sim = await SimulatorHost.StartAsync(Settings(cap: 1_000_000, resetDay: 10, startingUsage: 43_435));
        await sim.AddRulesAsync(("coffee", "drinks"));

        var before = await UsageAsync(sim);
        Assert.Equal(["cap_reset_day", "project_cap", "project_id", "project_usage"], before.EnumerateObject().Select(p => p.Name));
        Assert.Equal(10, before.GetProperty(XUsage.CapResetDay).GetInt32());
        Assert.Equal("1000000", before.GetProperty(XUsage.ProjectCap).GetString());
        Assert.Equal("43435", before.GetProperty(XUsage.ProjectUsage).GetString());

        await using (var stream = await sim.ConnectAsync())
        {
            await stream.ReadPostsAsync(25);
        }

        var stats = await TwitterStream.Tests.Worker.Eventually.WaitAsync(sim.StatsAsync, s => s.Disconnects == 1,
            TimeSpan.FromSeconds(15), "the session to end");
        var sent = stats.PostsSent;
        Assert.True(sent >= 25);
        Assert.Equal((43_435 + sent).ToString(System.Globalization.CultureInfo.InvariantCulture), (await UsageAsync(sim)).GetProperty(XUsage.ProjectUsage).GetString());

        using var anonymous = new HttpClient { BaseAddress = sim.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(XApiPaths.Usage, Ct)).StatusCode);
    }

    [Fact]
    public async Task At_the_cap_the_stream_ends_and_new_requests_get_X_usage_capped_429_until_the_reset()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-09T22:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sim = await SimulatorHost.StartAsync(time, Settings(cap: 100, resetDay: 10, startingUsage: 95));
        await sim.AddRulesAsync(("coffee", "drinks"));

        await using (var stream = await sim.ConnectAsync())
        {
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            await stream.ReadPostsAsync(5);
            Assert.Null(await stream.ReadLineAsync()); // the sixth post would pass the cap: the stream ends
        }

        Assert.Equal("100", (await UsageAsync(sim)).GetProperty(XUsage.ProjectUsage).GetString());
        await using (var refused = await sim.ConnectAsync())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Response.Content.ReadAsStringAsync(Ct));
            Assert.Equal(XUsage.UsageCappedProblemType, problem.RootElement.GetProperty("type").GetString());
            Assert.Equal("UsageCapExceeded", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal("Monthly", problem.RootElement.GetProperty("period").GetString());
        }

        time.SetUtcNow(DateTimeOffset.Parse("2026-12-10T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", (await UsageAsync(sim)).GetProperty(XUsage.ProjectUsage).GetString());
        await using var afterReset = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, afterReset.Response.StatusCode);
        await afterReset.ReadPostAsync();
    }

    private static async Task<JsonElement> UsageAsync(SimulatorHost sim)
    {
        var text = await sim.Client.GetStringAsync(XApiPaths.Usage, Ct);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty(XUsage.Data).Clone();
    }
}
