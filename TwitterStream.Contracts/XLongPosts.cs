namespace TwitterStream.Contracts;

/// <summary>
/// X's long posts ("note tweets"): <c>data.text</c> holds only the start, cut near 280 characters and ended with an
/// ellipsis and a link to the post; the whole text is <c>data.note_tweet.text</c>, sent only with
/// <c>tweet.fields=note_tweet</c>. The simulator cuts its long posts this way and the test stand-ins do the same.
/// </summary>
public static class XLongPosts
{
    /// <summary>X's current maximum length of a post's text, in characters (subscribers' long posts).</summary>
    public const int MaxLength = 25_000;

    /// <summary>Posts up to this length are whole in <c>data.text</c>.</summary>
    public const int ShortLength = 280;

    /// <summary>The field the stream request names in <c>tweet.fields</c> to get the whole text.</summary>
    public const string NoteTweetField = "note_tweet";

    /// <summary>
    /// The <c>data.text</c> X sends for <paramref name="fullText"/>: the text itself when short, otherwise its start
    /// (at a space, never inside a surrogate pair) plus "… " and a link to the post.
    /// </summary>
    public static string CutText(string fullText, string postId)
    {
        if (fullText.Length <= ShortLength)
        {
            return fullText;
        }

        var link = "https://t.co/" + postId[^Math.Min(10, postId.Length)..];
        var room = ShortLength - link.Length - 2;
        var cut = fullText.LastIndexOf(' ', room - 1);
        if (cut <= 0)
        {
            cut = char.IsHighSurrogate(fullText[room - 1]) ? room - 1 : room;
        }

        return string.Concat(fullText.AsSpan(0, cut), "\u2026 ", link);
    }
}
