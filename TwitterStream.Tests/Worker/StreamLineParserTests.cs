using System.Text;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Tests.Worker;

public sealed class StreamLineParserTests
{
    private readonly StreamLineParser _parser = new();

    private StreamLine Parse(string line) => _parser.Parse(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Reads_the_documented_message()
    {
        var line = Parse("""
            {"data":{"id":"1234567890","text":"Look at this cute cat!","author_id":"9876543210","created_at":"2024-01-15T10:35:00.000Z","edit_history_tweet_ids":["1234567890"]},"includes":{"users":[{"id":"9876543210","name":"Cat Person","username":"catperson"}]},"matching_rules":[{"id":"1273026480692322304","tag":"cats with images"}]}
            """);

        Assert.Equal(StreamLineKind.Post, line.Kind);
        var post = line.Post!;
        Assert.Equal("1234567890", post.Id);
        Assert.Equal("Look at this cute cat!", post.Text);
        Assert.Equal("9876543210", post.AuthorId);
        Assert.Equal("catperson", post.Username);
        Assert.Equal("2024-01-15T10:35:00.000Z", post.CreatedAt);
        Assert.Equal(["cats with images"], post.MatchingTags);
    }

    [Fact]
    public void Tolerates_unknown_fields_any_order_and_includes_before_data()
    {
        var line = Parse("""
            {"future":{"x":[1,2,{"y":null}]},"matching_rules":[{"tag":"a","id":"1"},{"id":"2","tag":"b"}],"includes":{"media":[],"users":[{"username":"other","id":"1"},{"username":"me","id":"42"}]},"data":{"lang":"en","created_at":"2024-01-15T10:35:00.000Z","author_id":"42","text":"hi","id":"7","public_metrics":{"like_count":3}}}
            """);

        Assert.Equal(StreamLineKind.Post, line.Kind);
        Assert.Equal("me", line.Post!.Username);
        Assert.Equal(["a", "b"], line.Post.MatchingTags);
    }

    [Fact]
    public void Missing_includes_leaves_the_username_empty_but_keeps_the_post()
    {
        var line = Parse("""{"data":{"id":"7","text":"t","author_id":"42","created_at":"2024-01-15T10:35:00.000Z"},"matching_rules":[{"id":"1","tag":"x"}]}""");

        Assert.Equal(StreamLineKind.Post, line.Kind);
        Assert.Null(line.Post!.Username);
        Assert.Equal("42", line.Post.AuthorId);
    }

    [Fact]
    public void Escaped_and_unicode_text_is_decoded_exactly()
    {
        var line = Parse("""{"data":{"id":"7","text":"line\nbreak \"quoted\" \ud83d\udc08 猫 café","author_id":"1","created_at":"2024-01-15T10:35:00.000Z"},"includes":{"users":[{"id":"1","username":"caf\u00e9"}]}}""");

        Assert.Equal("line\nbreak \"quoted\" 🐈 猫 café", line.Post!.Text);
        Assert.Equal("café", line.Post.Username);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r")]
    [InlineData("   \r\n")]
    public void Blank_lines_are_keep_alives(string text) => Assert.Equal(StreamLineKind.KeepAlive, Parse(text).Kind);

    [Theory]
    [InlineData("""{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"d","type":"https://api.x.com/2/problems/operational-disconnect"}]}""")]
    [InlineData("""{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.x.com/2/problems/streaming-connection"}""")]
    public void Error_objects_are_recognised(string text) => Assert.Equal(StreamLineKind.StreamError, Parse(text).Kind);

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"data\":{\"id\":\"1\"", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"meta\":{}}", "no data object")]
    [InlineData("{\"data\":{\"text\":\"t\",\"author_id\":\"1\",\"created_at\":\"2024-01-15T10:35:00.000Z\"}}", "data.id missing")]
    [InlineData("{\"data\":{\"id\":\"1\",\"text\":\"t\",\"author_id\":\"1\"}}", "data.created_at missing")]
    [InlineData("{\"data\":{\"id\":\"1\",\"text\":\"t\",\"author_id\":\"1\",\"created_at\":\"yesterday\"}}", "not an ISO-8601")]
    [InlineData("{\"data\":{\"id\":\"1\",\"text\":\"t\",\"created_at\":\"2024-01-15T10:35:00.000Z\"}}", "neither")]
    [InlineData("{\"data\":{}} {\"data\":{}}", "not valid JSON")]
    [InlineData("{\"data\":{\"id\":1,\"text\":\"t\",\"author_id\":\"1\",\"created_at\":\"2024-01-15T10:35:00.000Z\"}}", "data.id missing")]
    public void Invalid_lines_are_reported_with_a_reason(string text, string reason)
    {
        var line = Parse(text);
        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains(reason, line.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-15T10:35:00Z", "2024-01-15T10:35:00.000Z")]
    [InlineData("2024-01-15T12:35:00.123+02:00", "2024-01-15T10:35:00.123Z")]
    [InlineData("2024-01-15T10:35:00.5Z", "2024-01-15T10:35:00.500Z")]
    public void Timestamps_are_normalised_to_sortable_utc(string input, string expected) =>
        Assert.Equal(expected, TimestampNormaliser.Normalise(input));

    [Fact]
    public void Tags_are_cached_across_lines()
    {
        const string text = """{"data":{"id":"7","text":"t","author_id":"1","created_at":"2024-01-15T10:35:00.000Z"},"matching_rules":[{"id":"1","tag":"twitterstream"}]}""";
        Assert.Same(Parse(text).Post!.MatchingTags[0], Parse(text).Post!.MatchingTags[0]);
    }
}
