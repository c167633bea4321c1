using System.Text;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.Worker;

public sealed class PostFieldTests
{
    private const string FullLine = """
        {"data":{"author_id":"42","conversation_id":"1700","created_at":"2024-01-15T10:35:00.000Z","edit_history_tweet_ids":["1701"],
        "entities":{"annotations":[{"start":0,"end":3,"probability":0.9,"type":"Other","normalized_text":"Cats"}],
        "hashtags":[{"start":10,"end":14,"tag":"cat"},{"start":15,"end":20,"tag":"東京"}],
        "mentions":[{"start":21,"end":27,"username":"bob","id":"43"}],
        "urls":[{"start":28,"end":51,"url":"https://t.co/abc","expanded_url":"https://example.com/cats","display_url":"example.com/cats"},{"start":52,"end":60,"url":"https://t.co/def"}]},
        "id":"1701","in_reply_to_user_id":"43","lang":"ja","possibly_sensitive":false,
        "referenced_tweets":[{"type":"replied_to","id":"1700"},{"type":"quoted","id":"1600"}],"text":"Cats! #cat #東京 @bob https://t.co/abc https://t.co/def"},
        "includes":{"users":[{"id":"43","name":"Not the author","username":"bob"},{"id":"42","name":"Zoë Müller 🐈","username":"zoe","verified":true}]},
        "matching_rules":[{"id":"1","tag":"twitterstream"}]}
        """;

    private static Post Parse(string line, PostFieldSelection? selection = null) =>
        new StreamLineParser(selection).Parse(Encoding.UTF8.GetBytes(line.ReplaceLineEndings(""))).Post
        ?? throw new InvalidOperationException("not a post");

    [Fact]
    public void The_default_fields_are_read()
    {
        var post = Parse(FullLine);

        Assert.Equal("ja", post.Lang);
        Assert.Equal("1700", post.ConversationId);
        Assert.Equal([new ReferencedPost("replied_to", "1700"), new ReferencedPost("quoted", "1600")], post.Referenced);
        Assert.Equal(["cat", "東京"], post.Hashtags);
        Assert.Equal(["bob"], post.Mentions);
        Assert.Equal(["https://example.com/cats", "https://t.co/def"], post.Urls);
        Assert.Equal("Zoë Müller 🐈", post.AuthorName);
        Assert.Equal("zoe", post.Username);
        Assert.Null(post.InReplyToUserId);
        Assert.Null(post.PossiblySensitive);
        Assert.Null(post.AuthorVerified);
    }

    [Fact]
    public void Added_fields_are_read_and_removed_ones_are_not()
    {
        var selection = PostFieldSelection.Parse("-entities, -lang, +in_reply_to_user_id,+possibly_sensitive,+verified", out var problem)!;
        Assert.Null(problem);

        var post = Parse(FullLine, selection);

        Assert.Empty(post.Hashtags);
        Assert.Empty(post.Urls);
        Assert.Null(post.Lang);
        Assert.Equal("43", post.InReplyToUserId);
        Assert.False(post.PossiblySensitive);
        Assert.True(post.AuthorVerified);
        Assert.Equal("1700", post.ConversationId);
    }

    [Fact]
    public void The_author_name_is_found_when_includes_come_before_data()
    {
        var post = Parse("""{"includes":{"users":[{"id":"9","name":"Other","username":"o"},{"name":"Ana Silva","id":"42","username":"ana"}]},"data":{"id":"7","text":"t","author_id":"42","created_at":"2024-01-15T10:35:00.000Z"}}""");

        Assert.Equal("ana", post.Username);
        Assert.Equal("Ana Silva", post.AuthorName);
    }

    [Fact]
    public void A_long_post_takes_its_entities_from_note_tweet()
    {
        var post = Parse("""
            {"data":{"id":"7","text":"#a start… https://t.co/x","entities":{"hashtags":[{"start":0,"end":2,"tag":"a"}],"urls":[{"start":10,"end":25,"url":"https://t.co/x","expanded_url":"https://x.com/i/web/status/7"}]},
            "note_tweet":{"text":"#a start and #b at the end","entities":{"hashtags":[{"start":0,"end":2,"tag":"a"},{"start":13,"end":15,"tag":"b"}]}},
            "author_id":"42","created_at":"2024-01-15T10:35:00.000Z"}}
            """);

        Assert.Equal(["a", "b"], post.Hashtags);
        Assert.Empty(post.Urls);
    }

    [Fact]
    public void Conversation_id_equal_to_the_id_shares_its_string()
    {
        var post = Parse("""{"data":{"conversation_id":"7","id":"7","text":"t","author_id":"42","created_at":"2024-01-15T10:35:00.000Z"}}""");

        Assert.Same(post.Id, post.ConversationId);
    }

    [Fact]
    public void Oversized_entities_are_rejected_before_DynamoDB_would_refuse_the_item()
    {
        var urls = string.Join(",", Enumerable.Range(0, 30).Select(i => $$"""{"url":"https://t.co/{{i}}","expanded_url":"https://example.com/{{new string('x', 1000)}}"}"""));
        var line = new StreamLineParser().Parse(Encoding.UTF8.GetBytes(
            """{"data":{"id":"7","text":"t","entities":{"urls":[""" + urls + """]},"author_id":"42","created_at":"2024-01-15T10:35:00.000Z"}}"""));

        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains("more than 25000 characters", line.Problem);
    }

    [Fact]
    public void The_item_stores_each_field_and_leaves_out_what_X_did_not_send()
    {
        var selection = PostFieldSelection.Parse("+possibly_sensitive,+verified,+in_reply_to_user_id", out _)!;
        var item = PostItemMapper.ToItem(Parse(FullLine, selection));

        Assert.Equal("ja", item[PostsTableSchema.Lang].S);
        Assert.Equal("1700", item[PostsTableSchema.ConversationId].S);
        Assert.Equal(
            [("replied_to", "1700"), ("quoted", "1600")],
            item[PostsTableSchema.Referenced].L.Select(r => (r.M[PostsTableSchema.ReferenceType].S, r.M[PostsTableSchema.ReferenceId].S)));
        Assert.Equal(["cat", "東京"], item[PostsTableSchema.Hashtags].L.Select(v => v.S));
        Assert.Equal(["bob"], item[PostsTableSchema.Mentions].L.Select(v => v.S));
        Assert.Equal(["https://example.com/cats", "https://t.co/def"], item[PostsTableSchema.Urls].L.Select(v => v.S));
        Assert.Equal("Zoë Müller 🐈", item[PostsTableSchema.AuthorName].S);
        Assert.Equal("43", item[PostsTableSchema.InReplyToUserId].S);
        Assert.False(item[PostsTableSchema.PossiblySensitive].BOOL);
        Assert.True(item[PostsTableSchema.AuthorVerified].BOOL);

        var plain = PostItemMapper.ToItem(Parse(StreamLines.Post("8", "bob", "no entities here")));
        string[] absent = [PostsTableSchema.Lang, PostsTableSchema.ConversationId, PostsTableSchema.Referenced, PostsTableSchema.Hashtags,
            PostsTableSchema.Mentions, PostsTableSchema.Urls, PostsTableSchema.InReplyToUserId, PostsTableSchema.PossiblySensitive, PostsTableSchema.AuthorVerified];
        Assert.All(absent, name => Assert.False(plain.ContainsKey(name), name));
    }

    [Fact]
    public void A_pooled_item_refilled_with_a_plainer_post_drops_the_earlier_posts_fields()
    {
        var pool = new PostItemPool();
        var item = pool.Rent(Parse(FullLine));
        pool.Return(item);

        var again = pool.Rent(Parse(StreamLines.Post("8", "bob", "plain")));

        Assert.Same(item, again);
        Assert.False(again.Attributes.ContainsKey(PostsTableSchema.Hashtags));
        Assert.False(again.Attributes.ContainsKey(PostsTableSchema.Referenced));
        Assert.Equal("N", again.Attributes[PostsTableSchema.AuthorName].S);
    }

    [Theory]
    [InlineData(SamplePost.Typical, "en", new[] { "weekend", "coffee" }, new string[0], new[] { "https://example.com/p/42" })]
    [InlineData(SamplePost.LongUnicode, "ja", new[] { "東京", "موسيقى" }, new[] { "maria_garcia" }, new[] { "https://example.com/p/4242" })]
    public void The_benchmark_samples_carry_the_default_fields(SamplePost kind, string lang, string[] hashtags, string[] mentions, string[] urls)
    {
        var post = new StreamLineParser().Parse(StreamLines.Sample(kind, 42)).Post!;

        Assert.Equal(lang, post.Lang);
        Assert.Equal("42", post.ConversationId);
        Assert.Equal(hashtags, post.Hashtags);
        Assert.Equal(mentions, post.Mentions);
        Assert.Equal(urls, post.Urls);
        Assert.NotNull(post.AuthorName);
    }

    [Fact]
    public void The_maximum_length_sample_is_a_whole_long_post()
    {
        var post = new StreamLineParser().Parse(StreamLines.Sample(SamplePost.MaxLengthNote, 42)).Post!;

        Assert.True(post.IsLong);
        Assert.InRange(post.Text.Length, XLongPosts.MaxLength - 600, XLongPosts.MaxLength);
    }

    [Fact]
    public void With_store_raw_the_item_holds_the_line_as_X_sent_it_up_to_100000_bytes()
    {
        var raw = PostFieldSelection.Default.WithStoreRaw(true);
        var line = StreamLines.Post("7", "alice", "as sent 🐈");

        var item = PostItemMapper.ToItem(new StreamLineParser(raw).Parse(Encoding.UTF8.GetBytes(line + "\r\n")).Post!);
        var withoutRaw = PostItemMapper.ToItem(Parse(line));
        var huge = new StreamLineParser(raw).Parse(Encoding.UTF8.GetBytes(StreamLines.Post("8", "alice", new string('x', PostFieldSelection.MaxRawBytes)))).Post!;

        Assert.Equal(line, item[PostsTableSchema.Raw].S);
        Assert.False(withoutRaw.ContainsKey(PostsTableSchema.Raw));
        Assert.Null(huge.Raw);
        Assert.Equal(PostFieldSelection.MaxRawBytes, huge.Text.Length);
    }

    [Fact]
    public void The_stream_request_asks_for_the_required_and_selected_fields()
    {
        Assert.Equal(
            XApiPaths.Stream + "?expansions=author_id&tweet.fields=created_at,note_tweet,lang,conversation_id,referenced_tweets,entities&user.fields=username,name",
            PostFieldSelection.Default.StreamPath);
        Assert.Equal(
            XApiPaths.Stream + "?expansions=author_id&tweet.fields=created_at,note_tweet,lang,conversation_id,referenced_tweets,possibly_sensitive&user.fields=username,verified",
            PostFieldSelection.Parse("-entities,-name,+possibly_sensitive,verified", out _)!.StreamPath);
    }
}

public sealed class ReceivedAtTextTests
{
    [Fact]
    public void Posts_of_one_millisecond_share_the_string_and_the_next_millisecond_gets_its_own()
    {
        var text = new TwitterStream.Worker.Storage.ReceivedAtText();
        var at = new DateTimeOffset(2024, 1, 15, 10, 35, 1, 250, TimeSpan.Zero);

        var first = text.Format(at);
        var sameMillisecond = text.Format(at.AddTicks(9_000));
        var next = text.Format(at.AddMilliseconds(1));

        Assert.Equal("2024-01-15T10:35:01.250Z", first);
        Assert.Same(first, sameMillisecond);
        Assert.Equal("2024-01-15T10:35:01.251Z", next);
    }
}
