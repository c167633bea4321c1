using System.Diagnostics;

namespace TwitterStream.Worker.Pipeline;

/// <summary>One post from the stream, holding only the strings the DynamoDB item needs.</summary>
internal sealed class Post
{
    public required string Id { get; init; }
    /// <summary>The whole text: <c>note_tweet.text</c> for a long post, <c>text</c> otherwise.</summary>
    public required string Text { get; init; }

    /// <summary>True when the post was a long one (X sent <c>note_tweet</c>; <c>text</c> held only its start).</summary>
    public bool IsLong { get; init; }
    public string? AuthorId { get; init; }

    /// <summary>The author's username from <c>includes.users</c>; null when the stream sent no includes.</summary>
    public string? Username { get; init; }

    /// <summary><c>created_at</c> in the table's timestamp form (<see cref="TimestampNormaliser"/>).</summary>
    public required string CreatedAt { get; init; }

    /// <summary>The author's display name (<c>user.fields=name</c>); null when not asked for or not sent.</summary>
    public string? AuthorName { get; init; }

    public bool? AuthorVerified { get; init; }

    /// <summary>X's language code (<c>lang</c>); consecutive posts share the string.</summary>
    public string? Lang { get; init; }

    public string? ConversationId { get; init; }

    public string? InReplyToUserId { get; init; }

    public bool? PossiblySensitive { get; init; }

    /// <summary>The posts this one replies to, quotes or reposts; empty when none.</summary>
    public ReferencedPost[] Referenced { get; init; } = [];

    /// <summary>Hashtags without '#', mentioned usernames and expanded URLs (of the whole text for a long post); empty when none.</summary>
    public string[] Hashtags { get; init; } = [];

    public string[] Mentions { get; init; } = [];

    public string[] Urls { get; init; } = [];

    /// <summary>The stream line as X sent it, when STORE_RAW_POST is on and the line is at most 100,000 bytes.</summary>
    public string? Raw { get; init; }

    /// <summary>The matched rules' tags; consecutive posts with the same tags share one array, so never modify it.</summary>
    public required string[] MatchingTags { get; init; }

    /// <summary>When the worker read the line (wall clock, stored as <c>received_at</c>).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// <see cref="TimeProvider.GetTimestamp"/> at receipt, for the receive→stored latency: when the line was parsed, or,
    /// for a post found waiting after a read-coalescing pause, the pause's start (the earliest it can have been waiting).
    /// </summary>
    public long ReceivedTimestamp { get; set; }

    /// <summary>The span of the received lines that held this post (null when nobody traces), for the write to link to.</summary>
    public Activity? ReceivedIn { get; set; }
}
