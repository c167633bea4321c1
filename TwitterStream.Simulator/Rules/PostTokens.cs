namespace TwitterStream.Simulator.Rules;

/// <summary>A post prepared once for evaluation against every rule: tokens, entities, author and language.</summary>
internal sealed class PostTokens
{
    public required string[] Words { get; init; }
    public required HashSet<string> Hashtags { get; init; }
    public required HashSet<string> Mentions { get; init; }
    public required string Username { get; init; }
    public required string Lang { get; init; }
    public bool HasLinks { get; init; }
    public bool AuthorVerified { get; init; }

    public static PostTokens Create(string text, string username, string lang, bool authorVerified)
    {
        var normalized = TextTokenizer.Normalize(text);
        var hashtags = new HashSet<string>(StringComparer.Ordinal);
        var mentions = new HashSet<string>(StringComparer.Ordinal);
        CollectEntities(normalized, '#', hashtags);
        CollectEntities(normalized, '@', mentions);
        return new PostTokens
        {
            Words = [.. TextTokenizer.Tokenize(normalized)],
            Hashtags = hashtags,
            Mentions = mentions,
            Username = username.ToLowerInvariant(),
            Lang = lang.ToLowerInvariant(),
            HasLinks = normalized.Contains("http://", StringComparison.Ordinal) || normalized.Contains("https://", StringComparison.Ordinal),
            AuthorVerified = authorVerified,
        };
    }

    /// <summary>True when <paramref name="sequence"/> occurs as consecutive tokens.</summary>
    public bool ContainsSequence(string[] sequence)
    {
        var words = Words;
        for (var start = 0; start + sequence.Length <= words.Length; start++)
        {
            var i = 0;
            while (i < sequence.Length && string.Equals(words[start + i], sequence[i], StringComparison.Ordinal)) i++;
            if (i == sequence.Length) return true;
        }
        return false;
    }

    private static void CollectEntities(string normalized, char sigil, HashSet<string> into)
    {
        for (var i = normalized.IndexOf(sigil); i >= 0; i = normalized.IndexOf(sigil, i + 1))
        {
            if (i > 0 && char.IsLetterOrDigit(normalized[i - 1])) continue; // e-mail addresses, "a#b"
            var end = i + 1;
            while (end < normalized.Length && IsEntityChar(normalized, end, sigil)) end++;
            if (end > i + 1) into.Add(normalized[(i + 1)..end]);
        }
    }

    private static bool IsEntityChar(string s, int index, char sigil)
    {
        var c = s[index];
        // Mentions are ASCII usernames; hashtags may be written in any script, marks included.
        return sigil == '@'
            ? char.IsAsciiLetterOrDigit(c) || c == '_'
            : char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.SpacingCombiningMark;
    }
}
