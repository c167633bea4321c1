using System.Text.Json;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Walks one NDJSON line of the filtered stream straight from its UTF-8 bytes with <see cref="Utf8JsonReader"/>,
/// allocating only the strings a stored post needs, and hands the fields to <see cref="PostValidator"/>. Field order is
/// free, unknown fields are skipped. Not thread-safe (it caches rule tags): give each reader its own instance.
/// </summary>
internal sealed class StreamLineParser(PostFieldSelection? selection = null)
{
    private readonly OptionalFields _optional = (selection ?? PostFieldSelection.Default).Fields;
    private readonly bool _storeRaw = selection?.StoreRaw ?? false;
    private readonly RepeatedValues _repeated = new();
    private readonly List<string> _tags = [];
    private readonly List<ReferencedPost> _referenced = [];
    private readonly EntityLists _entities = new();
    private readonly EntityLists _noteEntities = new();

    public StreamLine Parse(ReadOnlySpan<byte> line)
    {
        line = line.Trim(" \r\n\t"u8);
        if (line.IsEmpty)
        {
            return StreamLine.KeepAlive;
        }

        try
        {
            return ParseObject(line);
        }
        catch (JsonException exception)
        {
            return StreamLine.Invalid($"not valid JSON ({exception.Message.Split('.')[0]})");
        }
        catch (InvalidOperationException exception)
        {
            return StreamLine.Invalid($"unexpected JSON value ({exception.Message.Split('.')[0]})");
        }
    }

    private StreamLine ParseObject(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return StreamLine.Invalid("not a JSON object");
        }

        var fields = new PostFields();
        var sawData = false;
        var sawError = false;
        _tags.Clear();
        _referenced.Clear();
        _entities.Clear();
        _noteEntities.Clear();

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    sawData = true;
                    ReadData(ref reader, ref fields);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("includes"u8))
            {
                reader.Read();
                ReadIncludes(ref reader, ref fields, _optional);
            }
            else if (reader.ValueTextEquals("matching_rules"u8))
            {
                reader.Read();
                ReadMatchingRules(ref reader);
            }
            else if (reader.ValueTextEquals("errors"u8) || reader.ValueTextEquals("connection_issue"u8) || reader.ValueTextEquals("title"u8))
            {
                sawError = true;
                reader.Read();
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // A second value after the object makes Read throw, which turns the line into an invalid one.
        reader.Read();

        if (!sawData)
        {
            return sawError ? new StreamLine(StreamLineKind.StreamError) : StreamLine.Invalid("no data object");
        }

        return BuildPost(ref fields, line);
    }

    private StreamLine BuildPost(ref PostFields fields, ReadOnlySpan<byte> line)
    {
        fields.ResolvePendingAuthor();
        // A long post's own entities cover only the cut text; note_tweet's cover the whole one.
        var entities = fields.NoteText is not null && _noteEntities.Seen ? _noteEntities : _entities;
        fields.ExtraLength += entities.Length;
        if (PostValidator.Problem(fields, out var createdAt, out var username) is { } problem)
        {
            return StreamLine.Invalid(problem);
        }

        var post = new Post
        {
            Id = fields.Id!,
            Text = fields.NoteText ?? fields.Text!,
            IsLong = fields.NoteText is not null,
            AuthorId = fields.AuthorId,
            Username = username,
            CreatedAt = createdAt,
            MatchingTags = _repeated.Tags(_tags),
            AuthorName = fields.AuthorName,
            AuthorVerified = fields.AuthorVerified,
            Lang = fields.Lang,
            ConversationId = fields.ConversationId,
            InReplyToUserId = fields.InReplyToUserId,
            PossiblySensitive = fields.PossiblySensitive,
            Referenced = _referenced.Count == 0 ? [] : [.. _referenced],
            Hashtags = entities.Hashtags.Count == 0 ? [] : [.. entities.Hashtags],
            Mentions = entities.Mentions.Count == 0 ? [] : [.. entities.Mentions],
            Urls = entities.Urls.Count == 0 ? [] : [.. entities.Urls],
            Raw = _storeRaw && line.Length <= PostFieldSelection.MaxRawBytes ? System.Text.Encoding.UTF8.GetString(line) : null,
        };
        return new StreamLine(StreamLineKind.Post, post);
    }

    private void ReadData(ref Utf8JsonReader reader, ref PostFields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                // A conversation's first post has its own id as conversation_id: share the string.
                fields.Id = fields.ConversationId is { } conversation && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(conversation)
                    ? conversation
                    : StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                fields.Text = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("author_id"u8))
            {
                reader.Read();
                fields.AuthorId = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("note_tweet"u8))
            {
                reader.Read();
                fields.NoteText = ReadNote(ref reader);
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                fields.CreatedAt = _repeated.CreatedAt(ref reader);
            }
            else if (!ReadOptional(ref reader, ref fields))
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The optional fields the selection asks for; false (nothing read) for any other property.</summary>
    private bool ReadOptional(ref Utf8JsonReader reader, ref PostFields fields)
    {
        if ((_optional & OptionalFields.Lang) != 0 && reader.ValueTextEquals("lang"u8))
        {
            reader.Read();
            fields.Lang = _repeated.Lang(ref reader);
        }
        else if ((_optional & OptionalFields.ConversationId) != 0 && reader.ValueTextEquals("conversation_id"u8))
        {
            reader.Read();
            fields.ConversationId = fields.Id is { } id && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(id)
                ? id
                : StringOrNull(ref reader);
        }
        else if ((_optional & OptionalFields.ReferencedTweets) != 0 && reader.ValueTextEquals("referenced_tweets"u8))
        {
            reader.Read();
            fields.ExtraLength += ReadReferenced(ref reader);
        }
        else if ((_optional & OptionalFields.Entities) != 0 && reader.ValueTextEquals("entities"u8))
        {
            reader.Read();
            ReadEntities(ref reader, _entities);
        }
        else if ((_optional & OptionalFields.InReplyToUserId) != 0 && reader.ValueTextEquals("in_reply_to_user_id"u8))
        {
            reader.Read();
            fields.InReplyToUserId = StringOrNull(ref reader);
        }
        else if ((_optional & OptionalFields.PossiblySensitive) != 0 && reader.ValueTextEquals("possibly_sensitive"u8))
        {
            reader.Read();
            fields.PossiblySensitive = BooleanOrNull(ref reader);
        }
        else
        {
            return false;
        }

        return true;
    }

    private int ReadReferenced(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? type = null;
            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = ReferenceType(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = StringOrNull(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (type is not null && id is not null)
            {
                _referenced.Add(new ReferencedPost(type, id));
                length += type.Length + id.Length;
            }
        }

        return length;
    }

    /// <summary>X's three reference types as shared strings; any other type as sent.</summary>
    private static string? ReferenceType(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? StringOrNull(ref reader)
        : reader.ValueTextEquals("replied_to"u8) ? "replied_to"
        : reader.ValueTextEquals("quoted"u8) ? "quoted"
        : reader.ValueTextEquals("retweeted"u8) ? "retweeted"
        : reader.GetString();

    /// <summary><c>entities.hashtags[].tag</c>, <c>mentions[].username</c> and <c>urls[].expanded_url</c> (or <c>url</c>).</summary>
    private void ReadEntities(ref Utf8JsonReader reader, EntityLists into)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        into.Seen = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = reader.ValueTextEquals("hashtags"u8) ? EntityKind.Hashtag
                : reader.ValueTextEquals("mentions"u8) ? EntityKind.Mention
                : reader.ValueTextEquals("urls"u8) ? EntityKind.Url
                : EntityKind.Other;
            reader.Read();
            if (kind == EntityKind.Other || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            var list = kind switch { EntityKind.Hashtag => into.Hashtags, EntityKind.Mention => into.Mentions, _ => into.Urls };
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (ReadEntity(ref reader, kind) is { } value)
                {
                    list.Add(value);
                    into.Length += value.Length;
                }
            }
        }
    }

    private string? ReadEntity(ref Utf8JsonReader reader, EntityKind kind)
    {
        string? value = null;
        string? shortUrl = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var wanted = kind switch
            {
                EntityKind.Hashtag => reader.ValueTextEquals("tag"u8),
                EntityKind.Mention => reader.ValueTextEquals("username"u8),
                _ => reader.ValueTextEquals("expanded_url"u8),
            };
            var isShortUrl = kind == EntityKind.Url && !wanted && reader.ValueTextEquals("url"u8);
            reader.Read();
            if (wanted && reader.TokenType == JsonTokenType.String)
            {
                value = kind == EntityKind.Hashtag ? _repeated.Hashtag(ref reader) : reader.GetString();
            }
            else if (isShortUrl && reader.TokenType == JsonTokenType.String)
            {
                shortUrl = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        // X leaves expanded_url out when it could not expand a link; the t.co link is then all there is.
        return value ?? shortUrl;
    }

    private enum EntityKind
    {
        Other,
        Hashtag,
        Mention,
        Url,
    }

    /// <summary><c>note_tweet.text</c>, and its entities (which, unlike the post's own, cover the whole text).</summary>
    private string? ReadNote(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            var isEntities = reader.ValueTextEquals("entities"u8);
            reader.Read();
            if (isText)
            {
                text = StringOrNull(ref reader);
            }
            else if (isEntities && (_optional & OptionalFields.Entities) != 0)
            {
                ReadEntities(ref reader, _noteEntities);
            }
            else
            {
                reader.Skip();
            }
        }

        return text;
    }

    private static void ReadIncludes(ref Utf8JsonReader reader, ref PostFields fields, OptionalFields optional)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsers = reader.ValueTextEquals("users"u8);
            reader.Read();
            if (isUsers && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadUser(ref reader, ref fields, optional);
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadUser(ref Utf8JsonReader reader, ref PostFields fields, OptionalFields optional)
    {
        string? id = null;
        bool? isAuthor = null;
        string? username = null;
        string? name = null;
        bool? verified = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                }
                else if (fields.AuthorId is not null)
                {
                    isAuthor = reader.ValueTextEquals(fields.AuthorId);
                }
                else
                {
                    id = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("username"u8))
            {
                reader.Read();
                username = StringOrNull(ref reader);
            }
            else if ((optional & OptionalFields.AuthorName) != 0 && reader.ValueTextEquals("name"u8) && isAuthor != false)
            {
                reader.Read();
                name = StringOrNull(ref reader);
            }
            else if ((optional & OptionalFields.AuthorVerified) != 0 && reader.ValueTextEquals("verified"u8))
            {
                reader.Read();
                verified = BooleanOrNull(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (username is null || fields.Username is not null)
        {
            return;
        }

        if (isAuthor == true)
        {
            fields.Username = username;
            fields.AuthorName = name;
            fields.AuthorVerified = verified;
            fields.ExtraLength += name?.Length ?? 0;
        }
        else if (id is not null)
        {
            // includes came before data: remember the user until author_id is known.
            (fields.PendingUsers ??= []).Add(new IncludedUser(id, username, name, verified));
        }
    }

    private void ReadMatchingRules(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTag = reader.ValueTextEquals("tag"u8);
                reader.Read();
                // A rule added without a tag comes with no "tag" or an empty one: it names no worker.
                if (isTag && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    _tags.Add(_repeated.Tag(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static bool? BooleanOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return reader.GetBoolean();
        }

        reader.Skip();
        return null;
    }

    /// <summary>One <c>entities</c> object's values, refilled for every line.</summary>
    private sealed class EntityLists
    {
        public List<string> Hashtags { get; } = [];
        public List<string> Mentions { get; } = [];
        public List<string> Urls { get; } = [];

        public bool Seen { get; set; }

        public int Length { get; set; }

        public void Clear()
        {
            Hashtags.Clear();
            Mentions.Clear();
            Urls.Clear();
            Seen = false;
            Length = 0;
        }
    }

    internal static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
