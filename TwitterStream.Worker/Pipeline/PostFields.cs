namespace TwitterStream.Worker.Pipeline;

/// <summary>The fields of one stream line as the JSON walk found them, before <see cref="PostValidator"/> checks them.</summary>
internal struct PostFields
{
    public string? Id;
    public string? Text;

    /// <summary><c>note_tweet.text</c>: the whole text of a long post, of which <c>text</c> is only the start.</summary>
    public string? NoteText;
    public string? AuthorId;
    public string? CreatedAt;
    public string? Lang;
    public string? ConversationId;
    public string? InReplyToUserId;
    public bool? PossiblySensitive;

    /// <summary>The author's username, when <c>includes.users</c> came after <c>data.author_id</c>.</summary>
    public string? Username;
    public string? AuthorName;
    public bool? AuthorVerified;

    /// <summary>UTF-16 units of the optional strings (entities, references, names), for the item size guard.</summary>
    public int ExtraLength;

    /// <summary>Users seen in <c>includes</c> before <c>data.author_id</c> was known.</summary>
    public List<IncludedUser>? PendingUsers;

    /// <summary>When includes came before data, takes the author's username, name and verified from the remembered users.</summary>
    public void ResolvePendingAuthor()
    {
        if (Username is not null || PendingUsers is null || AuthorId is null)
        {
            return;
        }

        foreach (var user in PendingUsers)
        {
            if (user.Id == AuthorId)
            {
                Username = user.Username;
                AuthorName = user.Name;
                AuthorVerified = user.Verified;
                ExtraLength += user.Name?.Length ?? 0;
                return;
            }
        }
    }
}

/// <summary>One user of <c>includes.users</c>, kept until <c>data.author_id</c> says whether it is the author.</summary>
internal readonly record struct IncludedUser(string Id, string Username, string? Name, bool? Verified);

/// <summary>A post this one replies to, quotes or reposts (<c>referenced_tweets[]</c>).</summary>
internal readonly record struct ReferencedPost(string Type, string Id);
