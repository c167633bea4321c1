using System.Buffers;
using System.Text.Json;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Stream;

/// <summary>
/// Writes X stream messages straight into the response's buffer (no intermediate strings): one reusable
/// <see cref="Utf8JsonWriter"/> per connection, reset onto the pipe for every message, ended by <c>\r\n</c>.
/// </summary>
internal sealed class PostSerializer(IBufferWriter<byte> output, StreamFields fields) : IDisposable
{
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText AuthorId = JsonEncodedText.Encode("author_id");
    private static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText Lang = JsonEncodedText.Encode("lang");
    private static readonly JsonEncodedText ConversationId = JsonEncodedText.Encode("conversation_id");
    private static readonly JsonEncodedText PossiblySensitive = JsonEncodedText.Encode("possibly_sensitive");
    private static readonly JsonEncodedText NoteTweet = JsonEncodedText.Encode("note_tweet");
    private static readonly JsonEncodedText EditHistory = JsonEncodedText.Encode("edit_history_tweet_ids");
    private static readonly JsonEncodedText Includes = JsonEncodedText.Encode("includes");
    private static readonly JsonEncodedText Users = JsonEncodedText.Encode("users");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Username = JsonEncodedText.Encode("username");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText Verified = JsonEncodedText.Encode("verified");
    private static readonly JsonEncodedText Location = JsonEncodedText.Encode("location");
    private static readonly JsonEncodedText MatchingRules = JsonEncodedText.Encode("matching_rules");
    private static readonly JsonEncodedText Tag = JsonEncodedText.Encode("tag");

    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = StreamJson.Encoder, SkipValidation = true });
    private long _createdAtSecond = long.MinValue;
    private JsonEncodedText _createdAtText;

    public void WritePost(SimPost post, List<StreamRule> matched)
    {
        var json = _json;
        json.Reset(output);
        json.WriteStartObject();
        json.WriteStartObject(Data);
        json.WriteString(Id, post.Id);
        // X sends a long post's text cut, and its whole text only to a request that asked for note_tweet.
        var isLong = post.Text.Length > XLongPosts.ShortLength;
        var text = isLong ? XLongPosts.CutText(post.Text, post.Id) : post.Text;
        json.WriteString(Text, text);
        // The simulator's posts start their own conversations and reference no other post (no referenced_tweets,
        // no in_reply_to_user_id), as X leaves those out of posts without them.
        if (fields.ConversationId) json.WriteString(ConversationId, post.Id);
        if (fields.PossiblySensitive) json.WriteBoolean(PossiblySensitive, false);
        if (fields.Entities) EntityWriter.Write(json, text);
        if (fields.AuthorId) json.WriteString(AuthorId, post.Author.EncodedId);
        if (fields.CreatedAt) json.WriteString(CreatedAt, CreatedAtText(post.CreatedAt));
        if (fields.Lang) json.WriteString(Lang, post.Lang);
        if (isLong && fields.NoteTweet)
        {
            json.WriteStartObject(NoteTweet);
            json.WriteString(Text, post.Text);
            if (fields.Entities) EntityWriter.Write(json, post.Text);
            json.WriteEndObject();
        }

        json.WriteStartArray(EditHistory);
        json.WriteStringValue(post.Id);
        json.WriteEndArray();
        json.WriteEndObject();

        if (fields.ExpandAuthor)
        {
            var author = post.Author;
            json.WriteStartObject(Includes);
            json.WriteStartArray(Users);
            json.WriteStartObject();
            json.WriteString(Id, author.EncodedId);
            json.WriteString(Name, author.EncodedName);
            json.WriteString(Username, author.EncodedUsername);
            if (fields.UserCreatedAt) json.WriteString(CreatedAt, author.EncodedCreatedAt);
            if (fields.UserDescription) json.WriteString(Description, author.EncodedDescription);
            if (fields.UserVerified) json.WriteBoolean(Verified, author.Verified);
            if (fields.UserLocation) json.WriteString(Location, author.EncodedLocation);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartArray(MatchingRules);
        foreach (var rule in matched)
        {
            json.WriteStartObject();
            json.WriteString(Id, rule.EncodedId);
            if (rule.EncodedTag is { } tag) json.WriteString(Tag, tag);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        WriteRaw("\r\n"u8);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    /// <summary>Posts share whole-second timestamps, so the encoded text is cached per second.</summary>
    private JsonEncodedText CreatedAtText(DateTimeOffset createdAt)
    {
        var second = createdAt.UtcTicks / TimeSpan.TicksPerSecond;
        if (second != _createdAtSecond)
        {
            _createdAtSecond = second;
            _createdAtText = JsonEncodedText.Encode(StreamJson.FormatTime(createdAt));
        }
        return _createdAtText;
    }

    public void Dispose() => _json.Dispose();
}
