using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Parses one NDJSON line of the filtered stream straight from its UTF-8 bytes with <see cref="Utf8JsonReader"/>,
/// allocating only the strings a stored post needs. Field order is free, unknown fields are skipped. Not thread-safe
/// (it caches rule tags): give each reader its own instance.
/// </summary>
internal sealed class StreamLineParser
{
    private const string SortableFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    private const int MaxCachedTags = 64;
    private const int MaxTextLength = 100_000;
    private const int MaxUsernameLength = 512;

    private readonly List<(byte[] Utf8, string Text)> _tagCache = [];
    private readonly List<string> _tags = [];

    // Posts arrive roughly in time order with whole-second created_at values and mostly the same matching rules, so
    // consecutive posts share these: reusing the previous post's strings saves two allocations per post on a busy stream.
    private readonly byte[] _lastCreatedAtUtf8 = new byte[32];
    private int _lastCreatedAtLength;
    private string? _lastCreatedAt;
    private string[] _lastTags = [];

    public StreamLine Parse(ReadOnlySpan<byte> line)
    {
        line = Trim(line);
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
                ReadIncludes(ref reader, ref fields);
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

        return BuildPost(ref fields);
    }

    private StreamLine BuildPost(ref PostFields fields)
    {
        if (fields.Id is null)
        {
            return StreamLine.Invalid("data.id missing");
        }

        if (fields.Text is null)
        {
            return StreamLine.Invalid("data.text missing");
        }

        if (fields.CreatedAt is null)
        {
            return StreamLine.Invalid("data.created_at missing (request tweet.fields=created_at)");
        }

        // DynamoDB refuses an item over 400 KB and a partition key that is empty or over 2048 bytes, and a refused item
        // would be retried for ever: such posts are invalid here. (UTF-8 takes at most 3 bytes per UTF-16 unit.)
        if (fields.Text.Length > MaxTextLength)
        {
            return StreamLine.Invalid($"data.text is longer than {MaxTextLength} characters, more than a DynamoDB item holds");
        }

        // X ids are decimal 64-bit numbers sent as strings; anything else is not a post X sent.
        if (!IsNumericId(fields.Id))
        {
            return StreamLine.Invalid("data.id is not a numeric post id");
        }

        if (fields.AuthorId is not null && !IsNumericId(fields.AuthorId))
        {
            return StreamLine.Invalid("data.author_id is not a numeric user id");
        }

        var createdAt = NormaliseTimestamp(fields.CreatedAt);
        if (createdAt is null)
        {
            return StreamLine.Invalid("data.created_at is not an ISO-8601 timestamp");
        }

        var username = fields.Username;
        if (username is null && fields.PendingUsers is not null && fields.AuthorId is not null)
        {
            foreach (var (id, name) in fields.PendingUsers)
            {
                if (id == fields.AuthorId)
                {
                    username = name;
                    break;
                }
            }
        }

        if (username is not null && username.Length is 0 or > MaxUsernameLength)
        {
            return StreamLine.Invalid($"includes.users[].username is empty or longer than {MaxUsernameLength} characters");
        }

        if (username is null && fields.AuthorId is null)
        {
            return StreamLine.Invalid("neither includes.users[].username nor data.author_id present");
        }

        var post = new Post
        {
            Id = fields.Id,
            Text = fields.Text,
            AuthorId = fields.AuthorId,
            Username = username,
            CreatedAt = createdAt,
            MatchingTags = MatchingTags(),
        };
        return new StreamLine(StreamLineKind.Post, post);
    }

    /// <summary>This line's matching-rule tags; the previous post's array when they are the same (never mutated).</summary>
    private string[] MatchingTags()
    {
        if (_tags.Count != _lastTags.Length)
        {
            return _lastTags = [.. _tags];
        }

        for (var i = 0; i < _tags.Count; i++)
        {
            if (!string.Equals(_tags[i], _lastTags[i], StringComparison.Ordinal))
            {
                return _lastTags = [.. _tags];
            }
        }

        return _lastTags;
    }

    /// <summary>created_at as text; the previous post's string when the bytes are the same.</summary>
    private string? CreatedAt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return StringOrNull(ref reader);
        }

        var raw = reader.ValueSpan;
        if (_lastCreatedAt is not null && raw.SequenceEqual(_lastCreatedAtUtf8.AsSpan(0, _lastCreatedAtLength)))
        {
            return _lastCreatedAt;
        }

        var text = reader.GetString()!;
        if (raw.Length <= _lastCreatedAtUtf8.Length)
        {
            raw.CopyTo(_lastCreatedAtUtf8);
            _lastCreatedAtLength = raw.Length;
            _lastCreatedAt = text;
        }

        return text;
    }

    private void ReadData(ref Utf8JsonReader reader, ref PostFields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.Id = StringOrNull(ref reader);
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
            else if (reader.ValueTextEquals("created_at"u8))
            {
                reader.Read();
                fields.CreatedAt = CreatedAt(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadIncludes(ref Utf8JsonReader reader, ref PostFields fields)
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
                    ReadUser(ref reader, ref fields);
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadUser(ref Utf8JsonReader reader, ref PostFields fields)
    {
        string? id = null;
        bool? isAuthor = null;
        string? username = null;
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
        }
        else if (id is not null)
        {
            // includes came before data: remember the user until author_id is known.
            (fields.PendingUsers ??= []).Add((id, username));
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
                if (isTag && reader.TokenType == JsonTokenType.String)
                {
                    _tags.Add(Tag(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>Tags repeat on every post, so their strings are cached instead of allocated per line.</summary>
    private string Tag(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!;
        }

        var raw = reader.ValueSpan;
        foreach (var (utf8, text) in _tagCache)
        {
            if (raw.SequenceEqual(utf8))
            {
                return text;
            }
        }

        var tag = Encoding.UTF8.GetString(raw);
        if (_tagCache.Count < MaxCachedTags)
        {
            _tagCache.Add((raw.ToArray(), tag));
        }

        return tag;
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>X already sends <c>2024-01-15T10:35:00.000Z</c>; anything else ISO-8601 is converted to that form.</summary>
    public static string? NormaliseTimestamp(string value)
    {
        if (IsSortableUtc(value))
        {
            return value;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && value.Length >= 10 && value[4] == '-'
            ? parsed.UtcDateTime.ToString(SortableFormat, CultureInfo.InvariantCulture)
            : null;
    }

    private static bool IsSortableUtc(string value)
    {
        if (value.Length != 24 || value[4] != '-' || value[7] != '-' || value[10] != 'T' || value[13] != ':' || value[16] != ':'
            || value[19] != '.' || value[23] != 'Z')
        {
            return false;
        }

        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22])
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        // The digits must also make a real time: the sort key is built from this text as it is.
        var year = (Digits(value, 0) * 100) + Digits(value, 2);
        var month = Digits(value, 5);
        var day = Digits(value, 8);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Digits(value, 11) <= 23 && Digits(value, 14) <= 59 && Digits(value, 17) <= 59;
    }

    private static int Digits(string value, int at) => ((value[at] - '0') * 10) + (value[at + 1] - '0');

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

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        var start = 0;
        while (start < line.Length && IsWhitespace(line[start]))
        {
            start++;
        }

        var end = line.Length;
        while (end > start && IsWhitespace(line[end - 1]))
        {
            end--;
        }

        return line[start..end];
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t';

    private struct PostFields
    {
        public string? Id;
        public string? Text;
        public string? AuthorId;
        public string? CreatedAt;
        public string? Username;
        public List<(string Id, string Username)>? PendingUsers;
    }
}
