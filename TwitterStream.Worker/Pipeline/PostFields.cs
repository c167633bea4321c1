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

    /// <summary>The author's username, when <c>includes.users</c> came after <c>data.author_id</c>.</summary>
    public string? Username;

    /// <summary>Users seen in <c>includes</c> before <c>data.author_id</c> was known.</summary>
    public List<(string Id, string Username)>? PendingUsers;
}
