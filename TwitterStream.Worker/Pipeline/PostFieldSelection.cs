using TwitterStream.Contracts;

namespace TwitterStream.Worker.Pipeline;

/// <summary>The optional post fields the worker can store, each one of X's <c>tweet.fields</c> or <c>user.fields</c>.</summary>
[Flags]
internal enum OptionalFields
{
    None = 0,
    Lang = 1 << 0,
    ConversationId = 1 << 1,
    ReferencedTweets = 1 << 2,
    Entities = 1 << 3,
    AuthorName = 1 << 4,
    InReplyToUserId = 1 << 5,
    PossiblySensitive = 1 << 6,
    AuthorVerified = 1 << 7,
}

/// <summary>
/// Which optional fields the worker asks X for and stores, chosen by X's own field names (<see cref="WorkerVariables.PostFields"/>:
/// <c>+name</c> adds, <c>-name</c> removes, from the defaults). The fields the table's keys need (created_at, note_tweet,
/// the author_id expansion and username) are always asked for.
/// </summary>
internal sealed class PostFieldSelection(OptionalFields fields, bool storeRaw = false)
{
    /// <summary>
    /// Longest line stored as <c>raw</c>. The line holds the text, so with a raw copy up to 100,000 bytes the text and
    /// the other fields are at most as much again: the item stays under DynamoDB's 400 KB.
    /// </summary>
    public const int MaxRawBytes = 100_000;

    public const OptionalFields Defaults = OptionalFields.Lang | OptionalFields.ConversationId | OptionalFields.ReferencedTweets
        | OptionalFields.Entities | OptionalFields.AuthorName;

    /// <summary>Each optional field by X's name and the request parameter it belongs to.</summary>
    public static readonly IReadOnlyList<(string Name, string Parameter, OptionalFields Field)> Catalog =
    [
        ("lang", "tweet.fields", OptionalFields.Lang),
        ("conversation_id", "tweet.fields", OptionalFields.ConversationId),
        ("referenced_tweets", "tweet.fields", OptionalFields.ReferencedTweets),
        ("entities", "tweet.fields", OptionalFields.Entities),
        ("in_reply_to_user_id", "tweet.fields", OptionalFields.InReplyToUserId),
        ("possibly_sensitive", "tweet.fields", OptionalFields.PossiblySensitive),
        ("name", "user.fields", OptionalFields.AuthorName),
        ("verified", "user.fields", OptionalFields.AuthorVerified),
    ];

    /// <summary>Names the worker always asks for; removing them is refused (the table's keys and the whole text need them).</summary>
    public static readonly IReadOnlyList<string> Required = ["created_at", XLongPosts.NoteTweetField, "author_id", "username", "id", "text"];

    public static PostFieldSelection Default { get; } = new(Defaults);

    public OptionalFields Fields { get; } = fields;

    /// <summary>Whether each item also holds the stream line as X sent it (<see cref="WorkerVariables.StoreRawPost"/>).</summary>
    public bool StoreRaw { get; } = storeRaw;

    public PostFieldSelection WithStoreRaw(bool store) => new(Fields, store);

    public bool Has(OptionalFields field) => (Fields & field) != 0;

    /// <summary>The stream request: the required fields plus the selected ones, grouped by X's parameters.</summary>
    public string StreamPath => BuildStreamPath(Fields);

    private static string BuildStreamPath(OptionalFields selected)
    {
        var tweet = new List<string> { "created_at", XLongPosts.NoteTweetField };
        var user = new List<string> { "username" };
        foreach (var (name, parameter, optional) in Catalog)
        {
            if ((selected & optional) != 0)
            {
                (parameter == "user.fields" ? user : tweet).Add(name);
            }
        }

        return $"{XApiPaths.Stream}?expansions=author_id&tweet.fields={string.Join(',', tweet)}&user.fields={string.Join(',', user)}";
    }

    /// <summary>
    /// Applies <c>+name</c>/<c>-name</c> (a bare name adds) to the defaults; null with a one-line <paramref name="problem"/>
    /// when a name is unknown or required.
    /// </summary>
    public static PostFieldSelection? Parse(string? text, out string? problem)
    {
        problem = null;
        var fields = Defaults;
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var remove = entry[0] == '-';
            var name = entry.TrimStart('+', '-').Trim();
            if (Required.Contains(name))
            {
                if (remove)
                {
                    problem = $"{WorkerVariables.PostFields} cannot remove '{name}': the worker always asks for {string.Join(", ", Required)}; drop '-{name}'.";
                    return null;
                }

                continue;
            }

            var known = Catalog.FirstOrDefault(entryOf => entryOf.Name == name);
            if (known.Name is null)
            {
                problem = $"{WorkerVariables.PostFields} has unknown field '{name}': use +name or -name with X's names {string.Join(", ", Catalog.Select(f => f.Name))}, e.g. {WorkerVariables.PostFields}=-entities,+possibly_sensitive.";
                return null;
            }

            fields = remove ? fields & ~known.Field : fields | known.Field;
        }

        return new PostFieldSelection(fields);
    }
}
