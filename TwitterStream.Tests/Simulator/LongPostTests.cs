using System.Text.Json;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Simulator;

public sealed class LongPostTests
{
    private static readonly (string, string)[] AllLong = [("PostsPerSecond", "0"), ("MatchingShare", "1"), ("LongPostShare", "1")];

    [Fact]
    public async Task Long_posts_come_cut_in_text_and_whole_in_note_tweet_when_asked()
    {
        await using var sim = await SimulatorHost.StartAsync(AllLong);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?tweet.fields=created_at,note_tweet");

        var lengths = new List<int>();
        var matchedPastTheCut = 0;
        foreach (var post in await stream.ReadPostsAsync(30))
        {
            var data = post.GetProperty("data");
            var text = data.GetProperty("text").GetString()!;
            var whole = data.GetProperty("note_tweet").GetProperty("text").GetString()!;
            Assert.InRange(whole.Length, XLongPosts.ShortLength + 1, XLongPosts.MaxLength);
            Assert.True(text.Length <= XLongPosts.ShortLength, $"text has {text.Length} characters");
            Assert.Matches(@"… https://t\.co/\d+$", text);
            Assert.StartsWith(text[..text.IndexOf('…')], whole, StringComparison.Ordinal);
            // The rule matches the whole text, so its keyword may lie past the cut.
            Assert.Contains("coffee", whole, StringComparison.OrdinalIgnoreCase);
            if (!text.Contains("coffee", StringComparison.OrdinalIgnoreCase)) matchedPastTheCut++;
            lengths.Add(whole.Length);
        }

        Assert.True(matchedPastTheCut > 0, "no post matched on text past the cut");
        Assert.True(lengths.Max() > 2_000, $"30 long posts were all short of 2,000 characters: {string.Join(",", lengths)}");
    }

    [Fact]
    public async Task Without_note_tweet_a_long_post_has_only_its_cut_text()
    {
        await using var sim = await SimulatorHost.StartAsync(AllLong);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?tweet.fields=created_at");

        foreach (var post in await stream.ReadPostsAsync(10))
        {
            var data = post.GetProperty("data");
            Assert.False(data.TryGetProperty("note_tweet", out _));
            Assert.Matches(@"… https://t\.co/\d+$", data.GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task Long_posts_are_written_in_many_scripts()
    {
        await using var sim = await SimulatorHost.StartAsync(AllLong);
        await sim.AddRulesAsync(("coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?tweet.fields=note_tweet,lang");

        var langs = new HashSet<string>();
        foreach (var post in await stream.ReadPostsAsync(60))
        {
            var data = post.GetProperty("data");
            Assert.Equal(JsonValueKind.Object, data.GetProperty("note_tweet").ValueKind);
            langs.Add(data.GetProperty("lang").GetString()!);
        }

        Assert.True(langs.Count >= 4, $"long posts in only {string.Join(",", langs)}");
    }
}

public sealed class PostFieldStreamTests
{
    [Fact]
    public async Task Conversation_possibly_sensitive_and_entities_come_when_asked()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("MatchingShare", "1"), ("LongPostShare", "0.5"));
        await sim.AddRulesAsync(("#coffee", "drinks"));
        await using var stream = await sim.ConnectAsync("?tweet.fields=conversation_id,entities,possibly_sensitive,referenced_tweets,note_tweet");

        foreach (var post in await stream.ReadPostsAsync(20))
        {
            var data = post.GetProperty("data");
            Assert.Equal(data.GetProperty("id").GetString(), data.GetProperty("conversation_id").GetString());
            Assert.False(data.GetProperty("possibly_sensitive").GetBoolean());
            var whole = data.TryGetProperty("note_tweet", out var note) ? note : data;
            var text = whole.GetProperty("text").GetString()!;
            var codePoints = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
            var hashtags = whole.GetProperty("entities").GetProperty("hashtags").EnumerateArray().ToList();
            Assert.Contains(hashtags, h => h.GetProperty("tag").GetString()!.Equals("coffee", StringComparison.OrdinalIgnoreCase));
            foreach (var hashtag in hashtags)
            {
                var start = hashtag.GetProperty("start").GetInt32();
                var end = hashtag.GetProperty("end").GetInt32();
                Assert.Equal("#" + hashtag.GetProperty("tag").GetString(), string.Concat(codePoints[start..end]));
            }
        }
    }
}
