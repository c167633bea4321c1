using System.Text.Json;
using Microsoft.Extensions.Options;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Posts;

/// <summary>
/// Posts read from an NDJSON file, sent once each in file order. A line is an X stream message
/// (<c>{"data":{…},"includes":{"users":[…]}}</c>) or a bare post object with an optional <c>username</c>.
/// Missing <c>created_at</c> becomes the second the post is sent.
/// </summary>
internal sealed class ReplaySource : IPostSource
{
    private readonly ReplayLine[] _lines;
    private readonly AuthorCatalog _authors;
    private readonly TimeProvider _time;

    public ReplaySource(IOptions<SimulatorOptions> options, AuthorCatalog authors, TimeProvider time)
    {
        _authors = authors;
        _time = time;
        var path = options.Value.ReplayPath;
        _lines = [.. File.ReadLines(path).Select((line, n) => (line, n)).Where(x => !string.IsNullOrWhiteSpace(x.line))
            .Select(x => ReplayLine.Parse(x.line, path, x.n + 1))];
    }

    public int Count => _lines.Length;

    public SimPost? Get(long index, StreamRule[] rules)
    {
        if (index >= _lines.Length) return null;
        var line = _lines[index];
        var author = _authors.ById(line.AuthorId, line.Username, line.Name);
        var createdAt = line.CreatedAt ?? PostGenerator.WholeSecond(_time.GetUtcNow());
        return SimPost.Create(line.Id, line.Text, author, line.Lang ?? author.Lang, createdAt, author.Verified);
    }

    private sealed record ReplayLine(string Id, string Text, string AuthorId, string? Username, string? Name, string? Lang, DateTimeOffset? CreatedAt)
    {
        public static ReplayLine Parse(string json, string path, int lineNumber)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                var data = root.TryGetProperty("data", out var d) ? d : root;
                var id = data.GetProperty("id").GetString() ?? throw new FormatException("\"id\" is null");
                var text = data.GetProperty("text").GetString() ?? "";
                // A long post's whole text, which the stream sends on as note_tweet and the rules match on.
                if (data.TryGetProperty("note_tweet", out var note) && note.ValueKind == JsonValueKind.Object
                    && note.TryGetProperty("text", out var whole) && whole.GetString() is { } wholeText)
                {
                    text = wholeText;
                }

                var authorId = data.TryGetProperty("author_id", out var a) ? a.GetString() ?? "0" : "0";
                string? username = root.TryGetProperty("username", out var u) ? u.GetString() : null;
                string? name = null;
                if (root.TryGetProperty("includes", out var includes) && includes.TryGetProperty("users", out var users))
                {
                    foreach (var user in users.EnumerateArray())
                    {
                        if (user.GetProperty("id").GetString() != authorId) continue;
                        username = user.TryGetProperty("username", out var un) ? un.GetString() : username;
                        name = user.TryGetProperty("name", out var nm) ? nm.GetString() : null;
                    }
                }
                var lang = data.TryGetProperty("lang", out var l) ? l.GetString() : null;
                DateTimeOffset? createdAt = data.TryGetProperty("created_at", out var c) ? c.GetDateTimeOffset() : null;
                return new ReplayLine(id, text, authorId, username, name, lang, createdAt);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Simulator:ReplayPath '{path}' line {lineNumber} is not a post: {e.Message}");
            }
        }
    }
}
