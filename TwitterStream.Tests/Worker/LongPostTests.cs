using System.Text;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.Worker;

public sealed class LongPostTests
{
    private readonly StreamLineParser _parser = new();

    private StreamLine Parse(string line) => _parser.Parse(Encoding.UTF8.GetBytes(line));

    private static string LongText(int length)
    {
        var text = new StringBuilder();
        string[] words = ["東京の猫", "naïve café", "مرحبا", "👨‍👩‍👧", "שלום", "नमस्ते", "Zürich"];
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(words[i % words.Length]).Append(' ');
        }

        return text.ToString(0, length).TrimEnd();
    }

    [Fact]
    public void A_long_post_is_read_whole_from_note_tweet_and_marked_long()
    {
        var whole = LongText(XLongPosts.MaxLength - 10);
        var line = Parse(StreamLines.LongPost("1800000000000000001", "alice", whole));

        Assert.Equal(StreamLineKind.Post, line.Kind);
        Assert.Equal(whole, line.Post!.Text);
        Assert.True(line.Post.IsLong);
    }

    [Fact]
    public void A_short_post_keeps_its_text_and_is_not_long()
    {
        var line = Parse(StreamLines.Post("7", "alice", "short one"));

        Assert.Equal("short one", line.Post!.Text);
        Assert.False(line.Post.IsLong);
    }

    [Fact]
    public void Note_tweet_before_text_and_with_entities_still_gives_the_whole_text()
    {
        var line = Parse("""
            {"data":{"note_tweet":{"entities":{"hashtags":[{"start":0,"end":4,"tag":"cat"}]},"text":"#cat whole text"},"id":"7","created_at":"2024-01-15T10:35:00.000Z","author_id":"42","text":"#cat wh… https://t.co/x"}}
            """);

        Assert.Equal("#cat whole text", line.Post!.Text);
        Assert.True(line.Post.IsLong);
    }

    [Fact]
    public void A_note_tweet_that_is_not_an_object_is_ignored()
    {
        var line = Parse("""{"data":{"id":"7","text":"start","note_tweet":"odd","created_at":"2024-01-15T10:35:00.000Z","author_id":"42"}}""");

        Assert.Equal("start", line.Post!.Text);
        Assert.False(line.Post.IsLong);
    }

    [Fact]
    public void A_note_text_longer_than_an_item_holds_is_rejected_with_its_field_named()
    {
        var line = Parse(StreamLines.LongPost("7", "alice", new string('a', 100_001)));

        Assert.Equal(StreamLineKind.Invalid, line.Kind);
        Assert.Contains("note_tweet.text", line.Problem);
    }

    [Fact]
    public void The_stored_item_holds_the_whole_text_and_says_it_was_long()
    {
        var whole = LongText(5_000);
        var post = _parser.Parse(Encoding.UTF8.GetBytes(StreamLines.LongPost("7", "alice", whole))).Post!;

        var item = PostItemMapper.ToItem(post);

        Assert.Equal(whole, item[PostsTableSchema.Text].S);
        Assert.True(item[PostsTableSchema.LongPost].BOOL);
        Assert.False(PostItemMapper.ToItem(_parser.Parse(Encoding.UTF8.GetBytes(StreamLines.Post("8", "bob", "short"))).Post!)[PostsTableSchema.LongPost].BOOL);
    }

    [Fact]
    public void A_maximum_length_post_of_four_byte_characters_fits_a_DynamoDB_item()
    {
        // X's longest post in emoji only: 25,000 characters, 50,000 UTF-16 units, 100,000 UTF-8 bytes.
        var whole = string.Concat(Enumerable.Repeat("🐈", XLongPosts.MaxLength));
        var post = _parser.Parse(Encoding.UTF8.GetBytes(StreamLines.LongPost("7", "alice", whole))).Post!;

        var item = PostItemMapper.ToItem(post);

        var bytes = item.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value.S ?? "") + 8);
        Assert.Equal(whole, item[PostsTableSchema.Text].S);
        Assert.InRange(bytes, 100_000, 400 * 1024);
    }

    [Theory]
    [InlineData(280, false)]
    [InlineData(281, true)]
    [InlineData(XLongPosts.MaxLength, true)]
    public void X_cuts_only_texts_over_280_characters_and_never_inside_a_surrogate_pair(int length, bool cut)
    {
        var whole = string.Concat(Enumerable.Repeat("🐈", length))[..length];

        var text = XLongPosts.CutText(whole, "1800000000000000001");

        Assert.Equal(cut, text != whole);
        Assert.True(text.Length <= XLongPosts.ShortLength);
        if (cut)
        {
            Assert.EndsWith("… https://t.co/0000000001", text);
            Assert.False(char.IsHighSurrogate(text[text.IndexOf('…') - 1]));
        }
    }
}
