namespace TwitterStream.Simulator.Stream;

/// <summary>Which optional fields a stream connection asked for (<c>expansions</c>, <c>tweet.fields</c>, <c>user.fields</c>).</summary>
internal sealed record StreamFields(
    bool ExpandAuthor,
    bool AuthorId,
    bool CreatedAt,
    bool Lang,
    bool NoteTweet,
    bool ConversationId,
    bool Entities,
    bool PossiblySensitive,
    bool UserCreatedAt,
    bool UserDescription,
    bool UserVerified,
    bool UserLocation)
{
    public static readonly string[] TweetFields = ["id", "text", "edit_history_tweet_ids", "author_id", "created_at", "lang", "note_tweet",
        "conversation_id", "entities", "possibly_sensitive", "referenced_tweets", "in_reply_to_user_id"];
    public static readonly string[] UserFields = ["id", "name", "username", "created_at", "description", "verified", "location"];
    public static readonly string[] Expansions = ["author_id"];

    /// <summary>Parses the query; returns an error message naming the unknown value, like X's 400.</summary>
    public static StreamFields? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        var expansions = Split(query, "expansions", Expansions, ref error);
        var tweet = Split(query, "tweet.fields", TweetFields, ref error);
        var user = Split(query, "user.fields", UserFields, ref error);
        if (error is not null) return null;
        var expand = expansions.Contains("author_id");
        // An expansion puts its id field into data, as X does.
        return new StreamFields(expand, expand || tweet.Contains("author_id"), tweet.Contains("created_at"), tweet.Contains("lang"),
            tweet.Contains("note_tweet"), tweet.Contains("conversation_id"), tweet.Contains("entities"), tweet.Contains("possibly_sensitive"),
            user.Contains("created_at"), user.Contains("description"), user.Contains("verified"), user.Contains("location"));
    }

    private static HashSet<string> Split(IQueryCollection query, string name, string[] allowed, ref string? error)
    {
        var values = query[name].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        foreach (var value in values)
        {
            if (!allowed.Contains(value))
                error ??= $"The `{name}` query parameter value [{value}] is not one of [{string.Join(",", allowed)}]";
        }
        return values;
    }
}
