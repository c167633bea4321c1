using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly (string, string)[] Fast = [("PostsPerSecond", "0"), ("MatchingShare", "1")];

    [Fact]
    public async Task Close_every_n_posts_ends_the_stream_and_a_reconnect_continues_the_feed()
    {
        await using var sim = await SimulatorHost.StartAsync([.. Fast, ("Faults:CloseEveryPosts", "3")]);
        await sim.AddRulesAsync(("coffee", "drinks"));

        var ids = new List<string>();
        for (var connection = 0; connection < 2; connection++)
        {
            await using var stream = await sim.ConnectAsync();
            ids.AddRange((await stream.ReadPostsAsync(3)).Select(p => p.GetProperty("data").GetProperty("id").GetString()!));
            Assert.Null(await stream.ReadLineAsync());
        }

        Assert.Equal(6, ids.Distinct().Count());
        var stats = await sim.StatsAsync();
        Assert.Equal(2, stats.Connections);
        Assert.Equal(2, stats.Disconnects);
    }

    [Fact]
    public async Task Operational_disconnect_sends_xs_error_object_then_closes()
    {
        await using var sim = await SimulatorHost.StartAsync([.. Fast, ("Faults:OperationalDisconnectEveryPosts", "2")]);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        await stream.ReadPostsAsync(2);
        using var error = JsonDocument.Parse((await stream.ReadLineAsync())!);
        var problem = error.RootElement.GetProperty("errors")[0];
        Assert.Equal("operational-disconnect", problem.GetProperty("title").GetString());
        Assert.Equal("UpstreamOperationalDisconnect", problem.GetProperty("disconnect_type").GetString());
        Assert.Null(await stream.ReadLineAsync());
    }

    [Fact]
    public async Task A_stall_sends_nothing_not_even_keep_alives_then_resumes()
    {
        var clock = new SignallingTimeProvider();
        await using var sim = await SimulatorHost.StartAsync(clock,
            [.. Fast, ("KeepAliveSeconds", "17"), ("Faults:StallAfterPosts", "2"), ("Faults:StallSeconds", "31")]);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        await stream.ReadPostsAsync(2);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(31));
        Assert.Equal(2, (await sim.StatsAsync()).PostsSent);

        clock.Advance(TimeSpan.FromSeconds(31));
        var next = await stream.ReadLineAsync();
        Assert.NotNull(next);
        Assert.NotEmpty(next); // a post, not a keep-alive owed from the stalled 31 s
        Assert.Equal(0, (await sim.StatsAsync()).KeepAlivesSent);
    }

    [Theory]
    [InlineData(429, "Too Many Requests")]
    [InlineData(503, "Service Unavailable")]
    public async Task The_next_k_connections_are_rejected_with_the_configured_status(int status, string title)
    {
        await using var sim = await SimulatorHost.StartAsync([.. Fast, ("Faults:RejectConnections", "2"), ("Faults:RejectStatus", $"{status}")]);
        await sim.AddRulesAsync(("coffee", "drinks"));

        for (var i = 0; i < 2; i++)
        {
            await using var refused = await sim.ConnectAsync();
            Assert.Equal((HttpStatusCode)status, refused.Response.StatusCode);
            Assert.Contains(title, await refused.Response.Content.ReadAsStringAsync(Ct));
        }
        await using var accepted = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, accepted.Response.StatusCode);
        await accepted.ReadPostAsync();
        Assert.Equal(2, (await sim.StatsAsync()).RejectedConnections);
    }

    [Fact]
    public async Task Malformed_lines_of_every_kind_are_interleaved_and_none_is_a_post()
    {
        await using var sim = await SimulatorHost.StartAsync([.. Fast, ("TotalPosts", "60"), ("KeepAliveSeconds", "1"), ("Faults:MalformedLineRate", "1")]);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        var kinds = new HashSet<string>();
        var posts = 0;
        while (await stream.ReadLineAsync() is { Length: > 0 } line)
        {
            if (SimulatorProtocol.TryReadPost(line, out _))
            {
                posts++;
                continue;
            }
            kinds.Add(Classify(line));
        }

        Assert.Equal(60, posts);
        Assert.Equal(["invalid-utf8", "missing-fields", "one-mebibyte", "truncated", "wrong-types"], kinds.Order());
        Assert.Equal(60, (await sim.StatsAsync()).MalformedSent);
        Assert.Equal(60, (await sim.LedgerAsync()).Length);
    }

    private static string Classify(byte[] line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line)) return "invalid-utf8";
        if (line.Length >= 1 << 20) return "one-mebibyte";
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("data").TryGetProperty("id", out _) ? "wrong-types" : "missing-fields";
        }
        catch (JsonException)
        {
            return "truncated";
        }
    }

    [Fact]
    public async Task Duplicate_rate_one_delivers_every_post_twice_but_records_it_once()
    {
        await using var sim = await SimulatorHost.StartAsync([.. Fast, ("Faults:DuplicateRate", "1")]);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        var ids = (await stream.ReadPostsAsync(20)).Select(p => p.GetProperty("data").GetProperty("id").GetString()).ToArray();
        Assert.All(ids.Chunk(2), pair => Assert.Equal(pair[0], pair[1]));
        Assert.Equal(10, ids.Distinct().Count());
        var ledger = await sim.LedgerAsync();
        Assert.Equal(ledger.Length, ledger.Select(l => l.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Faults_can_be_read_and_replaced_at_runtime()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        await sim.AddRulesAsync(("coffee", "drinks"));

        using var set = await sim.Client.PostAsJsonAsync("/_sim/faults", new { RejectConnections = 1, RejectStatus = 429, DuplicateRate = 0.5 }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        using var current = JsonDocument.Parse(await sim.Client.GetStringAsync("/_sim/faults", Ct));
        Assert.Equal(1, current.RootElement.GetProperty("rejectConnections").GetInt32());
        Assert.Equal(0.5, current.RootElement.GetProperty("duplicateRate").GetDouble());

        await using (var refused = await sim.ConnectAsync())
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
        await using var accepted = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, accepted.Response.StatusCode);
    }

    [Fact]
    public async Task Invalid_faults_are_refused_with_a_message_naming_the_setting()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var response = await sim.Client.PostAsJsonAsync("/_sim/faults", new { RejectStatus = 500 }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("RejectStatus must be 429 or 503", await response.Content.ReadAsStringAsync(Ct));
        using var current = JsonDocument.Parse(await sim.Client.GetStringAsync("/_sim/faults", Ct));
        Assert.Equal(503, current.RootElement.GetProperty("rejectStatus").GetInt32());
    }
}
