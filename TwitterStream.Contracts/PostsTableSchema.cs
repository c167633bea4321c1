namespace TwitterStream.Contracts;

/// <summary>
/// The walkthrough-compatible posts table: partition key <c>user</c>, sort key <c>date</c> = created_at + <c>#</c> +
/// post id (two posts in one second never collide; a re-delivered post overwrites itself), and the item's attributes.
/// </summary>
public static class PostsTableSchema
{
    public const string DefaultTableName = "twitterstream-posts";

    public const string PartitionKey = "user";
    public const string SortKey = "date";

    /// <summary>DynamoDB's scalar type of both keys: a string.</summary>
    public const string KeyAttributeType = "S";

    public const string Id = "id";
    public const string Text = "text";
    public const string AuthorId = "author_id";
    public const string CreatedAt = "created_at";
    public const string ReceivedAt = "received_at";
    public const string Rules = "rules";

    /// <summary>A boolean: true when the post was a long one, whose whole text came in X's <c>note_tweet</c>.</summary>
    public const string LongPost = "long_post";

    // Optional attributes (the worker's POST_FIELDS), each present only when X sent the field.
    public const string Lang = "lang";
    public const string ConversationId = "conversation_id";

    /// <summary>A list of maps <c>{type, id}</c>: the posts this one replies to, quotes or reposts.</summary>
    public const string Referenced = "referenced";
    public const string ReferenceType = "type";
    public const string ReferenceId = "id";

    /// <summary>Lists of strings from X's <c>entities</c>: hashtags without '#', mentioned usernames, expanded URLs.</summary>
    public const string Hashtags = "hashtags";
    public const string Mentions = "mentions";
    public const string Urls = "urls";

    public const string AuthorName = "author_name";
    public const string InReplyToUserId = "in_reply_to_user_id";
    public const string PossiblySensitive = "possibly_sensitive";
    public const string AuthorVerified = "author_verified";

    /// <summary>The stream line as X sent it (STORE_RAW_POST), for reprocessing; only for lines up to 100,000 bytes.</summary>
    public const string Raw = "raw";

    /// <summary>The one timestamp format of the table (created_at as normalised, received_at): UTC, milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>A time in <see cref="TimestampFormat"/>, the form that sorts as text in time order.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString(TimestampFormat, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a time written in <see cref="TimestampFormat"/>.</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out at);

    public const char SortKeySeparator = '#';

    /// <summary>
    /// The partition of the worker's own bookkeeping items (the budget's count per billing cycle, the recovery checkpoint). No post can land
    /// there: a post's partition key is a username or an author id, and neither can contain '#'.
    /// </summary>
    public const string ReservedPartitionKey = "#twitterstream";

    /// <summary>The sort key of the count of posts received in the billing cycle that started on <c>cycleKey</c>.</summary>
    public static string BudgetSortKey(string cycleKey) => "budget#" + cycleKey;

    /// <summary>The budget item's count of posts received in its cycle (a number, added to atomically).</summary>
    public const string BudgetPosts = "posts";

    /// <summary>
    /// The sort key of the recovery checkpoint: the created_at of the newest post such that every post the worker read
    /// up to it is stored (<see cref="CheckpointStoredThrough"/>), the point a restarted worker asks X's backfill to
    /// cover from.
    /// </summary>
    public const string CheckpointSortKey = "checkpoint";

    /// <summary>The checkpoint's time, in <see cref="TimestampFormat"/>.</summary>
    public const string CheckpointStoredThrough = "stored_through";

    /// <summary>When the checkpoint item was last written, in <see cref="TimestampFormat"/>.</summary>
    public const string CheckpointUpdatedAt = "updated_at";

    public static string SortKeyOf(string createdAt, string id) => string.Concat(createdAt, "#", id);

    /// <summary>The post id a sort key ends with.</summary>
    public static string IdOf(string sortKey) => sortKey[(sortKey.LastIndexOf(SortKeySeparator) + 1)..];
}
