using System.Net;
using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

public sealed class StreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>As fast as the client reads, every post written to satisfy a rule.</summary>
    private static readonly (string, string)[] Fast = [("PostsPerSecond", "0"), ("MatchingShare", "1")];

    [Fact]
    public async Task Connecting_without_rules_gets_409()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        await using var stream = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.Conflict, stream.Response.StatusCode);
    }

    [Fact]
    public async Task Without_fields_a_post_has_only_id_text_and_edit_history()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        var ids = await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        var post = await stream.ReadPostAsync();
        var data = post.GetProperty("data");
        Assert.Equal(["id", "text", "edit_history_tweet_ids"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(data.GetProperty("id").GetString(), data.GetProperty("edit_history_tweet_ids")[0].GetString());
        Assert.False(post.TryGetProperty("includes", out _));
        var rule = Assert.Single(post.GetProperty("matching_rules").EnumerateArray());
        Assert.Equal(ids[0], rule.GetProperty("id").GetString());
        Assert.Equal("drinks", rule.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Requested_fields_and_the_author_expansion_are_honoured()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?expansions=author_id&tweet.fields=created_at,lang&user.fields=username,verified,created_at");

        foreach (var post in await stream.ReadPostsAsync(20))
        {
            var data = post.GetProperty("data");
            var authorId = data.GetProperty("author_id").GetString();
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$", data.GetProperty("created_at").GetString());
            Assert.False(string.IsNullOrEmpty(data.GetProperty("lang").GetString()));
            var user = Assert.Single(post.GetProperty("includes").GetProperty("users").EnumerateArray());
            Assert.Equal(authorId, user.GetProperty("id").GetString());
            Assert.Matches("^[A-Za-z0-9_]{1,30}$", user.GetProperty("username").GetString());
            Assert.False(string.IsNullOrEmpty(user.GetProperty("name").GetString()));
            Assert.True(user.GetProperty("verified").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.Matches(@"\.000Z$", user.GetProperty("created_at").GetString());
            Assert.False(user.TryGetProperty("description", out _));
        }
    }

    [Fact]
    public async Task An_unknown_field_gets_400()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?tweet.fields=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Contains("bogus", await stream.Response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_post_arrives_once_listing_every_rule_it_matches()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        var ids = await sim.AddRulesAsync(("coffee", "narrow"), ("coffee OR music", "broad"));
        await using var stream = await sim.ConnectAsync();

        var posts = await stream.ReadPostsAsync(50);
        Assert.Equal(50, posts.Select(p => p.GetProperty("data").GetProperty("id").GetString()).Distinct().Count());
        var withCoffee = posts.Where(p => p.GetProperty("data").GetProperty("text").GetString()!.Split(' ').Contains("coffee")).ToArray();
        Assert.NotEmpty(withCoffee);
        Assert.All(withCoffee, p => Assert.Equal(ids, p.GetProperty("matching_rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order()));
    }

    [Fact]
    public async Task A_second_connection_gets_429_too_many_connections()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var first = await sim.ConnectAsync();
        await first.ReadPostAsync();

        await using var second = await sim.ConnectAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Response.StatusCode);
        using var json = JsonDocument.Parse(await second.Response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("TooManyConnections", json.RootElement.GetProperty("connection_issue").GetString());
        Assert.Equal(1, (await sim.StatsAsync()).RejectedConnections);
    }

    [Fact]
    public async Task An_idle_stream_sends_a_keep_alive_after_the_configured_seconds()
    {
        var clock = new SignallingTimeProvider();
        await using var sim = await SimulatorHost.StartAsync(clock, [.. Fast, ("TotalPosts", "1"), ("KeepAliveSeconds", "17")]);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();
        await stream.ReadPostAsync();

        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(17));
        clock.Advance(TimeSpan.FromSeconds(17));

        var keepAlive = await stream.ReadLineAsync();
        Assert.NotNull(keepAlive);
        Assert.Empty(keepAlive);
        Assert.Equal(1, (await sim.StatsAsync()).KeepAlivesSent);
    }

    [Fact]
    public async Task Posts_are_released_at_the_configured_rate_in_bursts()
    {
        var clock = new SignallingTimeProvider();
        await using var sim = await SimulatorHost.StartAsync(clock, ("PostsPerSecond", "10"), ("BurstSize", "5"), ("MatchingShare", "1"));
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync();

        await stream.ReadPostsAsync(5);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(5, (await sim.StatsAsync()).PostsSent);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        await stream.ReadPostsAsync(5);
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(10, (await sim.StatsAsync()).PostsSent);
    }

    [Fact]
    public async Task Rule_changes_apply_to_an_open_stream()
    {
        await using var sim = await SimulatorHost.StartAsync(Fast);
        var first = await sim.AddRulesAsync(("coffee", "first"));
        await using var stream = await sim.ConnectAsync();
        await stream.ReadPostAsync();

        var second = await sim.AddRulesAsync(("music", "second"));
        using var delete = await sim.Client.PostAsync("/2/tweets/search/stream/rules",
            new StringContent($"{{\"delete\":{{\"ids\":[\"{first[0]}\"]}}}}", System.Text.Encoding.UTF8, "application/json"), Ct);
        delete.EnsureSuccessStatusCode();

        // Posts already buffered may still carry the old rule; a later one must carry only the new rule.
        for (var i = 0; i < 100_000; i++)
        {
            var rules = (await stream.ReadPostAsync()).GetProperty("matching_rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToArray();
            if (rules.SequenceEqual(second)) return;
        }
        Assert.Fail("The new rule never reached the open stream.");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_posts_and_another_seed_does_not()
    {
        async Task<string[]> FirstPosts(string seed)
        {
            await using var sim = await SimulatorHost.StartAsync([.. Fast, ("Seed", seed)]);
            await sim.AddRulesAsync(("coffee OR 東京", "a"), ("#café", "b"));
            await using var stream = await sim.ConnectAsync("?expansions=author_id");
            return [.. (await stream.ReadPostsAsync(30)).Select(p =>
                $"{p.GetProperty("data").GetProperty("id")}|{p.GetProperty("data").GetProperty("text")}|{p.GetProperty("includes").GetProperty("users")[0].GetProperty("username")}")];
        }

        var a = await FirstPosts("42");
        Assert.Equal(a, await FirstPosts("42"));
        Assert.NotEqual(a.Select(p => p.Split('|')[1]), (await FirstPosts("43")).Select(p => p.Split('|')[1]));
    }

    [Fact]
    public async Task The_ledger_and_stats_record_each_distinct_post_sent_once()
    {
        var ledgerPath = Path.Combine(Path.GetTempPath(), $"sim-ledger-{Guid.NewGuid():N}.ndjson");
        try
        {
            await using var sim = await SimulatorHost.StartAsync([.. Fast, ("TotalPosts", "40"), ("LedgerPath", ledgerPath), ("KeepAliveSeconds", "1"),
                ("Faults:DuplicateRate", "0.3"), ("Faults:MalformedLineRate", "0.2")]);
            var ids = await sim.AddRulesAsync(("coffee", "drinks"));
            await using var stream = await sim.ConnectAsync("?expansions=author_id&tweet.fields=created_at");

            var received = new List<JsonElement>();
            var malformed = 0;
            // After the 40th post the stream goes idle: its first keep-alive means everything has been sent.
            while (true)
            {
                var line = await stream.ReadLineAsync() ?? throw new InvalidOperationException("stream ended");
                if (line.Length == 0) break;
                if (SimulatorProtocol.TryReadPost(line, out var post)) received.Add(post);
                else malformed++;
            }

            var ledger = await sim.LedgerAsync();
            Assert.Equal(40, ledger.Length);
            Assert.Equal(received.Select(p => p.GetProperty("data").GetProperty("id").GetString()).Distinct().Order(),
                ledger.Select(l => l.GetProperty("id").GetString()).Order());
            var first = received[0];
            var entry = ledger.Single(l => l.GetProperty("id").GetString() == first.GetProperty("data").GetProperty("id").GetString());
            Assert.Equal(first.GetProperty("data").GetProperty("author_id").GetString(), entry.GetProperty("author_id").GetString());
            Assert.Equal(first.GetProperty("includes").GetProperty("users")[0].GetProperty("username").GetString(), entry.GetProperty("username").GetString());
            Assert.Equal(first.GetProperty("data").GetProperty("created_at").GetString(), entry.GetProperty("created_at").GetString());
            Assert.Equal(ids[0], entry.GetProperty("rules")[0].GetProperty("id").GetString());
            Assert.Equal("drinks", entry.GetProperty("rules")[0].GetProperty("tag").GetString());
            Assert.Equal(40, File.ReadAllLines(ledgerPath).Length);

            var stats = await sim.StatsAsync();
            Assert.Equal(40, stats.PostsSent);
            Assert.Equal(received.Count - 40, stats.DuplicatesSent);
            Assert.True(received.Count > 40, "DuplicateRate 0.3 sent no duplicate");
            Assert.Equal(malformed, stats.MalformedSent);
            Assert.Equal(1, stats.Connections);
            Assert.Equal(1, stats.Rules);
        }
        finally
        {
            File.Delete(ledgerPath);
        }
    }

    [Fact]
    public async Task A_replay_file_is_sent_in_order_and_filtered_by_the_rules()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-replay-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(path,
        [
            """{"data":{"id":"101","text":"my cat sleeps","author_id":"7","created_at":"2024-01-15T10:35:00.000Z"},"includes":{"users":[{"id":"7","name":"Cat Person","username":"catperson"}]}}""",
            """{"data":{"id":"102","text":"no match here","author_id":"7"}}""",
            "",
            """{"id":"103","text":"another cat","author_id":"8","username":"felix"}""",
        ], Ct);
        try
        {
            await using var sim = await SimulatorHost.StartAsync(("ReplayPath", path), ("PostsPerSecond", "0"));
            await sim.AddRulesAsync(("cat", "cats"));
            await using var stream = await sim.ConnectAsync("?expansions=author_id&tweet.fields=created_at");

            var posts = await stream.ReadPostsAsync(2);
            Assert.Equal(["101", "103"], posts.Select(p => p.GetProperty("data").GetProperty("id").GetString()));
            Assert.Equal("2024-01-15T10:35:00.000Z", posts[0].GetProperty("data").GetProperty("created_at").GetString());
            Assert.Equal(["catperson", "felix"], posts.Select(p => p.GetProperty("includes").GetProperty("users")[0].GetProperty("username").GetString()));
            Assert.Equal(2, (await sim.LedgerAsync()).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
