using System.Globalization;
using System.Text;

namespace TwitterStream.Simulator.Rules;

/// <summary>
/// Splits text the way rule matching sees it: NFC-normalised, lower-cased (accents kept, so "cafe" never matches
/// "café"), words broken at punctuation, symbols and separators. Han and kana characters are one token each, so a
/// multi-character CJK keyword matches as a sequence; each emoji is a token of its own.
/// </summary>
internal static class TextTokenizer
{
    public static string Normalize(string text) => text.Normalize(NormalizationForm.FormC).ToLowerInvariant();

    public static List<string> Tokenize(string normalized)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in normalized.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (IsIdeographic(rune) || category == UnicodeCategory.OtherSymbol)
            {
                Flush(word, tokens);
                tokens.Add(rune.ToString());
            }
            else if (IsWordPart(category) || (word.Length > 0 && IsMark(category)))
            {
                word.Append(rune.ToString());
            }
            else
            {
                Flush(word, tokens);
            }
        }
        Flush(word, tokens);
        return tokens;
    }

    private static void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length == 0) return;
        tokens.Add(word.ToString());
        word.Clear();
    }

    private static bool IsWordPart(UnicodeCategory c) => c is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.ConnectorPunctuation;

    private static bool IsMark(UnicodeCategory c) => c is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
        or UnicodeCategory.EnclosingMark;

    private static bool IsIdeographic(Rune r) => r.Value is (>= 0x3040 and <= 0x30FF) // hiragana, katakana
        or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F);
}
