using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Tests.Worker;

public sealed class PostMatcherTests
{
    private static Post WithTags(params string[] tags) =>
        new() { Id = "1", Text = "t", CreatedAt = "2024-01-15T10:35:00.000Z", AuthorId = "1", MatchingTags = tags };

    [Fact]
    public void Keeps_only_posts_matched_by_its_own_tag()
    {
        var matcher = new PostMatcher("twitterstream");
        Assert.True(matcher.IsKept(WithTags("other", "twitterstream")));
        Assert.False(matcher.IsKept(WithTags("other")));
        Assert.False(matcher.IsKept(WithTags("TwitterStream")));
        Assert.False(matcher.IsKept(WithTags()));
    }
}
