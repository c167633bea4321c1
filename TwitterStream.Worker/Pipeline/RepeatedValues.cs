using System.Text;
using System.Text.Json;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Posts arrive roughly in time order with whole-second created_at values and mostly the same matching rules, so
/// consecutive posts share these: the previous post's strings are handed out again instead of allocating new ones (two
/// allocations per post saved on a busy stream). Not thread-safe, like the parser that owns it.
/// </summary>
internal sealed class RepeatedValues
{
    private const int MaxCachedTags = 64;

    private readonly List<(byte[] Utf8, string Text)> _tagCache = [];
    private readonly List<(byte[] Utf8, string Text)> _langCache = [];
    private readonly List<(byte[] Utf8, string Text)> _hashtagCache = [];
    private readonly byte[] _lastCreatedAtUtf8 = new byte[32];
    private int _lastCreatedAtLength;
    private string? _lastCreatedAt;
    private string[] _lastTags = [];

    /// <summary>This line's matching-rule tags; the previous post's array when they are the same (never mutated).</summary>
    public string[] Tags(List<string> tags)
    {
        if (tags.Count != _lastTags.Length)
        {
            return _lastTags = [.. tags];
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (!string.Equals(tags[i], _lastTags[i], StringComparison.Ordinal))
            {
                return _lastTags = [.. tags];
            }
        }

        return _lastTags;
    }

    /// <summary>created_at as text; the previous post's string when the bytes are the same.</summary>
    public string? CreatedAt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return StreamLineParser.StringOrNull(ref reader);
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

    /// <summary>Tags repeat on every post, so their strings are cached instead of allocated per line.</summary>
    public string Tag(ref Utf8JsonReader reader) => Cached(_tagCache, ref reader);

    /// <summary>X's language codes are a few dozen: cached.</summary>
    public string? Lang(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? Cached(_langCache, ref reader) : StreamLineParser.StringOrNull(ref reader);

    /// <summary>A busy stream's hashtags repeat (the rules often name them): the first 64 seen are cached.</summary>
    public string Hashtag(ref Utf8JsonReader reader) => Cached(_hashtagCache, ref reader);

    private static string Cached(List<(byte[] Utf8, string Text)> cache, ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        var raw = reader.ValueSpan;
        foreach (var (utf8, text) in cache)
        {
            if (raw.SequenceEqual(utf8))
            {
                return text;
            }
        }

        var tag = Encoding.UTF8.GetString(raw);
        if (cache.Count < MaxCachedTags)
        {
            cache.Add((raw.ToArray(), tag));
        }

        return tag;
    }
}
