using System.Text;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Lines the hostile-input scenario found the worker storing or retrying for ever: now each is rejected as invalid
/// (and so counted), while the valid post they are variations of is still a post.
/// </summary>
public sealed class ParserGuardTests
{
    private const string Valid = """{"data":{"id":"1234567890","text":"cats","author_id":"42","created_at":"2024-01-15T10:35:00.000Z"},"includes":{"users":[{"id":"42","username":"cat_person"}]},"matching_rules":[{"id":"1","tag":"twitterstream"}]}""";

    [Fact]
    public void The_valid_post_parses() => Assert.Equal(StreamLineKind.Post, Parse(Valid).Kind);

    [Theory]
    [InlineData("\"id\":\"1234567890\"", "\"id\":\"abc\"", "data.id")]
    [InlineData("\"id\":\"1234567890\"", "\"id\":\"-1\"", "data.id")]
    [InlineData("\"id\":\"1234567890\"", "\"id\":\"\"", "data.id")]
    [InlineData("\"id\":\"1234567890\"", "\"id\":\"12345678901234567890\"", "data.id")]
    [InlineData("\"author_id\":\"42\"", "\"author_id\":\"4x2\"", "data.author_id")]
    [InlineData("2024-01-15T10:35:00.000Z", "2024-13-45T99:99:99.000Z", "data.created_at")]
    [InlineData("2024-01-15T10:35:00.000Z", "2023-02-29T10:35:00.000Z", "data.created_at")]
    [InlineData("\"username\":\"cat_person\"", "\"username\":\"\"", "username")]
    public void A_post_with_an_impossible_value_is_invalid(string from, string to, string named)
    {
        var line = Parse(Valid.Replace(from, to, StringComparison.Ordinal));

        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains(named, line.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_larger_than_a_DynamoDB_item_is_invalid()
    {
        var line = Parse(Valid.Replace("\"text\":\"cats\"", $"\"text\":\"cats {new string('x', 1 << 20)}\"", StringComparison.Ordinal));

        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains("data.text", line.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_username_longer_than_a_partition_key_is_invalid()
    {
        var line = Parse(Valid.Replace("\"username\":\"cat_person\"", $"\"username\":\"{new string('u', 3000)}\"", StringComparison.Ordinal));

        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains("username", line.Problem, StringComparison.Ordinal);
    }

    private static StreamLine Parse(string json) => new StreamLineParser().Parse(Encoding.UTF8.GetBytes(json));
}
