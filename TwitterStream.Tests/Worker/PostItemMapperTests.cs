using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.Worker;

public sealed class PostItemMapperTests
{
    private static Post Post(string? username = "alice", string text = "hello") => new()
    {
        Id = "1873",
        Text = text,
        AuthorId = "42",
        Username = username,
        CreatedAt = "2024-01-15T10:35:00.000Z",
        MatchingTags = ["twitterstream", "other", "twitterstream"],
        ReceivedAt = new DateTimeOffset(2024, 1, 15, 10, 35, 1, 250, TimeSpan.Zero),
    };

    [Fact]
    public void Keys_are_username_and_created_at_hash_id()
    {
        var item = PostItemMapper.ToItem(Post());

        Assert.Equal("alice", item["user"].S);
        Assert.Equal("2024-01-15T10:35:00.000Z#1873", item["date"].S);
        Assert.Equal("1873", item["id"].S);
        Assert.Equal("42", item["author_id"].S);
        Assert.Equal("2024-01-15T10:35:00.000Z", item["created_at"].S);
        Assert.Equal("2024-01-15T10:35:01.250Z", item["received_at"].S);
        Assert.Equal(["twitterstream", "other"], item["rules"].L.Select(tag => tag.S));
    }

    [Fact]
    public void Unicode_text_is_kept_character_for_character()
    {
        const string text = "👩🏽‍💻 Zoë 北京 ﷺ a\u0301 \U0001F408\u200D\u2B1B";
        Assert.Equal(text, PostItemMapper.ToItem(Post(text: text))["text"].S);
    }

    [Fact]
    public void Without_includes_the_author_id_is_the_partition_key() =>
        Assert.Equal("42", PostItemMapper.ToItem(Post(username: null))["user"].S);

    [Fact]
    public void A_pooled_item_is_refilled_completely_for_the_next_post()
    {
        var pool = new PostItemPool();
        var first = pool.Rent(Post(text: "first"));
        pool.Return(first);

        var second = pool.Rent(new Post
        {
            Id = "2",
            Text = "second",
            AuthorId = null,
            Username = "bob",
            CreatedAt = "2024-02-01T00:00:00.000Z",
            MatchingTags = ["x", "x"],
        });

        Assert.Same(first, second);
        Assert.Equal("bob", second.User);
        Assert.Equal("2024-02-01T00:00:00.000Z#2", second.Date);
        Assert.Equal("second", second.Attributes["text"].S);
        Assert.False(second.Attributes.ContainsKey("author_id"));
        Assert.Equal(["x"], second.Attributes["rules"].L.Select(tag => tag.S));
        Assert.Same(second.Attributes, second.Request.PutRequest.Item);
    }

    [Fact]
    public void With_a_retention_each_item_expires_that_many_days_after_it_was_received_in_epoch_seconds_and_without_it_has_no_expiry()
    {
        var post = Post(text: "kept for a while");
        post.ReceivedAt = DateTimeOffset.Parse("2026-12-01T10:00:00.250Z", System.Globalization.CultureInfo.InvariantCulture);
        var pool = new PostItemPool(retentionDays: 30);

        var item = pool.Rent(post);

        var expected = DateTimeOffset.Parse("2026-12-31T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Attributes[TwitterStream.Contracts.PostsTableSchema.ExpiresAt].N);
        Assert.False(new PostItemPool().Rent(post).Attributes.ContainsKey(TwitterStream.Contracts.PostsTableSchema.ExpiresAt));
    }
}
