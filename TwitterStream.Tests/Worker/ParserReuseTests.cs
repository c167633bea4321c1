using System.Text;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// The parser reuses the previous post's created_at string and tag array when they repeat (found by the hot-path
/// benchmark: two allocations per post). Reuse must never hand a post another post's values.
/// </summary>
public sealed class ParserReuseTests
{
    private readonly StreamLineParser _parser = new();

    [Fact]
    public void Consecutive_posts_in_one_second_with_the_same_rules_share_created_at_and_tags()
    {
        var first = Parse(StreamLines.Post("101", "ana", "one", "2024-01-15T10:35:00.000Z", "cats"));
        var second = Parse(StreamLines.Post("102", "ana", "two", "2024-01-15T10:35:00.000Z", "cats"));

        Assert.Equal("2024-01-15T10:35:00.000Z", second.CreatedAt);
        Assert.Same(first.CreatedAt, second.CreatedAt);
        Assert.Equal(["cats"], second.MatchingTags);
        Assert.Same(first.MatchingTags, second.MatchingTags);
    }

    [Fact]
    public void A_new_second_or_other_rules_get_their_own_values_and_leave_earlier_posts_alone()
    {
        var first = Parse(StreamLines.Post("101", "ana", "one", "2024-01-15T10:35:00.000Z", "cats"));
        var later = Parse(StreamLines.Post("102", "ana", "two", "2024-01-15T10:35:01.000Z", "cats", "dogs"));
        var back = Parse(StreamLines.Post("103", "ana", "three", "2024-01-15T10:35:00.000Z", "dogs"));

        Assert.Equal("2024-01-15T10:35:00.000Z", first.CreatedAt);
        Assert.Equal(["cats"], first.MatchingTags);
        Assert.Equal("2024-01-15T10:35:01.000Z", later.CreatedAt);
        Assert.Equal(["cats", "dogs"], later.MatchingTags);
        Assert.Equal("2024-01-15T10:35:00.000Z", back.CreatedAt);
        Assert.Equal(["dogs"], back.MatchingTags);
    }

    [Fact]
    public void An_escaped_created_at_is_read_in_full_not_matched_against_the_previous_bytes()
    {
        Parse(StreamLines.Post("101", "ana", "one", "2024-01-15T10:35:00.000Z"));
        var escaped = StreamLines.Post("102", "ana", "two", "2024-01-15T10:35:00.000Z").Replace("\"2024-01-15T10:35:00.000Z\"", "\"\\u0032024-01-15T10:35:09.000Z\"", StringComparison.Ordinal);

        Assert.Equal("2024-01-15T10:35:09.000Z", Parse(escaped).CreatedAt);
    }

    private Post Parse(string line)
    {
        var parsed = _parser.Parse(Encoding.UTF8.GetBytes(line));
        return parsed.Post ?? throw new InvalidOperationException($"not a post: {parsed.Problem}");
    }
}
