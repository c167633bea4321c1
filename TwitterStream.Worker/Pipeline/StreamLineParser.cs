using System.Text.Json;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Walks one NDJSON line of the filtered stream straight from its UTF-8 bytes with <see cref="Utf8JsonReader"/>,
/// allocating only the strings a stored post needs, and hands the fields to <see cref="PostValidator"/>. Field order is
/// free, unknown fields are skipped. Not thread-safe (it caches rule tags): give each reader its own instance.
/// </summary>
internal sealed class StreamLineParser
{
    private readonly RepeatedValues _repeated = new();
    private readonly List<string> _tags = [];

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

        return BuildPost(fields);
    }

    private StreamLine BuildPost(in PostFields fields)
    {
        if (PostValidator.Problem(fields, out var createdAt, out var username) is { } problem)
        {
            return StreamLine.Invalid(problem);
        }

        var post = new Post
        {
            Id = fields.Id!,
            Text = fields.Text!,
            AuthorId = fields.AuthorId,
            Username = username,
            CreatedAt = createdAt,
            MatchingTags = _repeated.Tags(_tags),
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
                fields.CreatedAt = _repeated.CreatedAt(ref reader);
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
                    _tags.Add(_repeated.Tag(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }
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
