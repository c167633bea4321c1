using System.Text.Json;

namespace TwitterStream.Simulator.Stream;

/// <summary>
/// Writes X's <c>entities</c> object for a text: hashtags, mentions and URLs found as whitespace-separated words, with
/// <c>start</c>/<c>end</c> in code points as X counts them. The simulator's URLs are not shortened, so <c>url</c> and
/// <c>expanded_url</c> are the same.
/// </summary>
internal static class EntityWriter
{
    private static readonly JsonEncodedText Entities = JsonEncodedText.Encode("entities");
    private static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText End = JsonEncodedText.Encode("end");

    private enum Kind { Hashtag, Mention, Url }

    private static readonly (Kind Kind, JsonEncodedText Array, JsonEncodedText Value)[] Kinds =
    [
        (Kind.Hashtag, JsonEncodedText.Encode("hashtags"), JsonEncodedText.Encode("tag")),
        (Kind.Mention, JsonEncodedText.Encode("mentions"), JsonEncodedText.Encode("username")),
        (Kind.Url, JsonEncodedText.Encode("urls"), JsonEncodedText.Encode("expanded_url")),
    ];

    private static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");

    /// <summary>Writes <c>"entities":{…}</c> when the text has any; nothing otherwise, as X leaves it out.</summary>
    public static void Write(Utf8JsonWriter json, string text)
    {
        var started = false;
        foreach (var (kind, array, valueName) in Kinds)
        {
            var arrayStarted = false;
            foreach (var (start, end, word) in Words(text))
            {
                if (KindOf(word) != kind) continue;
                if (!started)
                {
                    json.WriteStartObject(Entities);
                    started = true;
                }
                if (!arrayStarted)
                {
                    json.WriteStartArray(array);
                    arrayStarted = true;
                }
                json.WriteStartObject();
                json.WriteNumber(Start, start);
                json.WriteNumber(End, end);
                if (kind == Kind.Url) json.WriteString(Url, word);
                json.WriteString(valueName, kind == Kind.Url ? word : word[1..]);
                json.WriteEndObject();
            }
            if (arrayStarted) json.WriteEndArray();
        }
        if (started) json.WriteEndObject();
    }

    private static Kind? KindOf(string word) =>
        word.Length > 1 && word[0] == '#' ? Kind.Hashtag
        : word.Length > 1 && word[0] == '@' ? Kind.Mention
        : word.StartsWith("https://", StringComparison.Ordinal) ? Kind.Url
        : null;

    /// <summary>Whitespace-separated words with their code-point start and end.</summary>
    private static IEnumerable<(int Start, int End, string Word)> Words(string text)
    {
        var codePoint = 0;
        var wordStart = -1;
        var wordStartIndex = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var atEnd = i == text.Length;
            if (atEnd || char.IsWhiteSpace(text[i]))
            {
                if (wordStart >= 0)
                {
                    var word = text[wordStartIndex..i];
                    if (KindOf(word) is not null) yield return (wordStart, codePoint, word);
                    wordStart = -1;
                }
            }
            else if (wordStart < 0)
            {
                wordStart = codePoint;
                wordStartIndex = i;
            }
            if (!atEnd && !char.IsLowSurrogate(text[i])) codePoint++;
        }
    }
}
