namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Decides whether the fields of a line make a post the worker can store, and resolves the author's username. A line
/// that fails is counted and logged as rejected, never retried: DynamoDB would refuse it for ever.
/// </summary>
internal static class PostValidator
{
    private const int MaxTextLength = 100_000;
    private const int MaxUsernameLength = 512;

    // With the text at most 300,000 UTF-8 bytes, 25,000 units (at most 75,000 bytes) of other strings keep an item,
    // attribute names and list overheads included, under DynamoDB's 400 KB.
    private const int MaxExtraLength = 25_000;

    /// <summary>Null when the fields make a post (with created_at normalised and the username resolved); otherwise why not.</summary>
    public static string? Problem(in PostFields fields, out string createdAt, out string? username)
    {
        createdAt = "";
        username = null;
        if (fields.Id is null)
        {
            return "data.id missing";
        }

        if (fields.Text is null)
        {
            return "data.text missing";
        }

        if (fields.CreatedAt is null)
        {
            return "data.created_at missing (request tweet.fields=created_at)";
        }

        // DynamoDB refuses an item over 400 KB and a partition key that is empty or over 2048 bytes, and a refused item
        // would be retried for ever: such posts are invalid here. UTF-8 takes at most 3 bytes per UTF-16 unit, so
        // 100,000 units are at most 300,000 bytes, leaving room for the other attributes; X's longest post (25,000
        // characters, at most 2 units and 4 bytes each) is 100,000 bytes. Only one text is stored: the whole one.
        if (fields.Text.Length > MaxTextLength)
        {
            return $"data.text is longer than {MaxTextLength} characters, more than a DynamoDB item holds";
        }

        if (fields.NoteText is not null && fields.NoteText.Length > MaxTextLength)
        {
            return $"data.note_tweet.text is longer than {MaxTextLength} characters, more than a DynamoDB item holds";
        }

        // X ids are decimal 64-bit numbers sent as strings; anything else is not a post X sent.
        if (!IsNumericId(fields.Id))
        {
            return "data.id is not a numeric post id";
        }

        if (fields.AuthorId is not null && !IsNumericId(fields.AuthorId))
        {
            return "data.author_id is not a numeric user id";
        }

        if (TimestampNormaliser.Normalise(fields.CreatedAt) is not { } normalised)
        {
            return "data.created_at is not an ISO-8601 timestamp";
        }

        if (fields.ExtraLength > MaxExtraLength)
        {
            return $"entities, references and names hold more than {MaxExtraLength} characters, more than a DynamoDB item holds with the text";
        }

        createdAt = normalised;
        username = fields.Username;
        if (username is not null && username.Length is 0 or > MaxUsernameLength)
        {
            return $"includes.users[].username is empty or longer than {MaxUsernameLength} characters";
        }

        if (username is null && fields.AuthorId is null)
        {
            return "neither includes.users[].username nor data.author_id present";
        }

        return null;
    }

    private static bool IsNumericId(string value)
    {
        if (value.Length is 0 or > 19)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
