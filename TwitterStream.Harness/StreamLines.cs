using TwitterStream.Contracts;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TwitterStream.Harness;

/// <summary>Which kind of post a sample stream line carries.</summary>
public enum SamplePost
{
    /// <summary>A short English post with one emoji, the shape most of the stream has.</summary>
    Typical,

    /// <summary>A long post mixing CJK, right-to-left scripts, combining marks, ZWJ emoji and characters JSON escapes.</summary>
    LongUnicode,

    /// <summary>A long post of X's maximum length (25,000 characters of the long Unicode text): cut <c>text</c>, whole <c>note_tweet</c>.</summary>
    MaxLengthNote,
}

/// <summary>
/// Stream lines exactly as X sends them (expansions=author_id, tweet.fields=created_at, user.fields=username; raw UTF-8,
/// only what JSON must escape escaped), for the tests, the micro benchmarks and the load test's baselines.
/// </summary>
public static class StreamLines
{
    public const string DefaultRuleTag = StreamRuleTag.Default;

    public const string DefaultCreatedAt = "2024-01-15T10:35:00.000Z";

    public const string OperationalDisconnect =
        """{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.x.com/2/problems/operational-disconnect"}]}""";

    private const string MatchingRuleId = "1273026480692322304";

    private const string TypicalText =
        "Morning run done, coffee in hand \u2615 Anyone else watching the launch stream tonight? #weekend #coffee https://example.com/p/42";

    // Quotes and a newline, which JSON escapes, among scripts it does not.
    private const string LongUnicodeText =
        "\u6771\u4eac\u306e\u732b\u304c\u30e9\u30fc\u30e1\u30f3\u3092\u898b\u3066\u3044\u308b \ud83d\udc31\ud83c\udf5c "
        + "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0642\u0637\u0629 \u0627\u0644\u064a\u0648\u0645 \u05e9\u05dc\u05d5\u05dd \u05d7\u05ea\u05d5\u05dc "
        + "cafe\u0301 nai\u0308ve Vie\u0323\u0302t \u0928\u092e\u0938\u094d\u0924\u0947 \u092c\u093f\u0932\u094d\u0932\u0940 "
        + "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83d\udc4d\ud83c\udffd \ud83c\uddef\ud83c\uddf5 "
        + "\"quoted\" line one\nline two caf\u00e9 \u4f60\u597d\u5929\u6c14\u5496\u5561 #\u6771\u4eac #\u0645\u0648\u0633\u064a\u0642\u0649 @maria_garcia "
        + "\u0421\u0435\u0433\u043e\u0434\u043d\u044f \u0445\u043e\u0440\u043e\u0448\u0430\u044f \u043f\u043e\u0433\u043e\u0434\u0430 \u2014 "
        + "\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u00bfqu\u00e9 tal? Gr\u00fc\u00dfe aus Z\u00fcrich \ud83d\ude80\ud83d\udd25 https://example.com/p/4242";

    private static readonly JsonWriterOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A post by <paramref name="username"/> matching the rules tagged <paramref name="tags"/> (default: <see cref="DefaultRuleTag"/>).</summary>
    public static string Post(string id, string username, string text, string createdAt = DefaultCreatedAt, params string[] tags) =>
        Encoding.UTF8.GetString(Line(
            id,
            new Author($"9{Math.Abs(username.GetHashCode(StringComparison.Ordinal)) % 100000}", "N", username),
            text,
            createdAt,
            tags.Length == 0 ? [DefaultRuleTag] : tags));

    /// <summary>
    /// A post the parser accepts but DynamoDB refuses for good (a <c>ValidationException</c>: the item is over 400 KB):
    /// besides <see cref="DefaultRuleTag"/> its <c>matching_rules</c> name 60 rules with 8,000-character tags, which the
    /// worker stores in the item's <c>rules</c> and whose length no guard bounds. The tags are random letters, so even
    /// compressed the item is larger than one dead-letter part.
    /// </summary>
    public static string RefusedByDynamoDb(string id, string username, string text)
    {
        var random = new Random(7);
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return Post(id, username, text, DefaultCreatedAt,
            [DefaultRuleTag, .. Enumerable.Range(0, 60).Select(i => i.ToString("D2", CultureInfo.InvariantCulture)
                + string.Create(8_000, random, (chars, r) => { for (var c = 0; c < chars.Length; c++) { chars[c] = letters[r.Next(letters.Length)]; } }))]);
    }

    /// <summary>
    /// A long post as X sends it to a request with <c>tweet.fields=note_tweet</c>: <c>text</c> cut, the whole text in
    /// <c>note_tweet.text</c>.
    /// </summary>
    public static string LongPost(string id, string username, string wholeText, string createdAt = DefaultCreatedAt) =>
        Encoding.UTF8.GetString(Line(
            id,
            new Author($"9{Math.Abs(username.GetHashCode(StringComparison.Ordinal)) % 100000}", "N", username),
            wholeText,
            createdAt,
            [DefaultRuleTag],
            asLongPost: true));

    /// <summary>The sample line for <paramref name="kind"/> carrying post id <paramref name="postId"/>, as UTF-8 without the line end.</summary>
    public static byte[] Sample(SamplePost kind, long postId)
    {
        var (text, author) = kind switch
        {
            SamplePost.Typical => (TypicalText, new Author("9876543210", "Cat Person", "catperson")),
            SamplePost.LongUnicode => (LongUnicodeText, new Author("1357924680", "\u4f50\u85e4\u3086\u304d", "yuki_sato")),
            SamplePost.MaxLengthNote => (MaxLengthText(), new Author("1357924680", "\u4f50\u85e4\u3086\u304d", "yuki_sato")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sample post"),
        };
        // With the worker's default fields, as X sends them: lang, conversation_id and the text's entities.
        var (lang, entities) = kind switch
        {
            SamplePost.Typical => ("en", new[] { "#weekend", "#coffee", "https://example.com/p/42" }),
            SamplePost.LongUnicode => ("ja", ["#\u6771\u4eac", "#\u0645\u0648\u0633\u064a\u0642\u0649", "@maria_garcia", "https://example.com/p/4242"]),
            _ => ("ja", []),
        };
        return Line(postId.ToString(CultureInfo.InvariantCulture), author, text, DefaultCreatedAt, [DefaultRuleTag],
            asLongPost: kind == SamplePost.MaxLengthNote, defaults: new DefaultFields(lang, entities));
    }

    /// <summary>The worker's default optional fields for a sample line: <c>lang</c> and the entities found at these words.</summary>
    private sealed record DefaultFields(string Lang, string[] EntityWords);

    private static void WriteDefaultFields(Utf8JsonWriter json, string id, string text, DefaultFields defaults)
    {
        json.WriteString("lang", defaults.Lang);
        json.WriteString("conversation_id", id);
        if (defaults.EntityWords.Length == 0)
        {
            return;
        }

        json.WriteStartObject("entities");
        foreach (var (array, prefix, valueName) in new[] { ("hashtags", "#", "tag"), ("mentions", "@", "username"), ("urls", "https://", "expanded_url") })
        {
            var words = defaults.EntityWords.Where(word => word.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (words.Count == 0)
            {
                continue;
            }

            json.WriteStartArray(array);
            foreach (var word in words)
            {
                // X counts start and end in code points.
                var start = text[..text.IndexOf(word, StringComparison.Ordinal)].EnumerateRunes().Count();
                json.WriteStartObject();
                json.WriteNumber("start", start);
                json.WriteNumber("end", start + word.EnumerateRunes().Count());
                if (prefix == "https://")
                {
                    json.WriteString("url", word);
                }

                json.WriteString(valueName, prefix == "https://" ? word : word[prefix.Length..]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static string MaxLengthText()
    {
        var text = new StringBuilder(XLongPosts.MaxLength);
        while (text.Length + LongUnicodeText.Length + 1 <= XLongPosts.MaxLength)
        {
            text.Append(LongUnicodeText).Append(' ');
        }

        return text.ToString().TrimEnd();
    }

    private static byte[] Line(string id, Author author, string text, string createdAt, IReadOnlyList<string> tags, bool asLongPost = false, DefaultFields? defaults = null)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Raw))
        {
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteString("id", id);
            json.WriteString("text", asLongPost ? XLongPosts.CutText(text, id) : text);
            json.WriteString("author_id", author.Id);
            json.WriteString("created_at", createdAt);
            if (defaults is not null)
            {
                WriteDefaultFields(json, id, text, defaults);
            }

            if (asLongPost)
            {
                json.WriteStartObject(XLongPosts.NoteTweetField);
                json.WriteString("text", text);
                json.WriteEndObject();
            }

            json.WriteStartArray("edit_history_tweet_ids");
            json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("includes");
            json.WriteStartArray("users");
            json.WriteStartObject();
            json.WriteString("id", author.Id);
            json.WriteString("name", author.Name);
            json.WriteString("username", author.Username);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("matching_rules");
            foreach (var tag in tags)
            {
                json.WriteStartObject();
                json.WriteString("id", MatchingRuleId);
                json.WriteString("tag", tag);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private sealed record Author(string Id, string Name, string Username);
}
