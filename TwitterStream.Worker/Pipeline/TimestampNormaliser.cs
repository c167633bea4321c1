using System.Globalization;
using TwitterStream.Contracts;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// The table's one timestamp form, <see cref="PostsTableSchema.TimestampFormat"/> (UTC, milliseconds): the sort key is
/// built from created_at as it is, so every stored timestamp must sort as text in time order.
/// </summary>
internal static class TimestampNormaliser
{
    /// <summary>X already sends <c>2024-01-15T10:35:00.000Z</c> (returned as it is); anything else ISO-8601 is converted.</summary>
    public static string? Normalise(string value)
    {
        if (IsInTableForm(value))
        {
            return value;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && value.Length >= 10 && value[4] == '-'
            ? Format(parsed)
            : null;
    }

    public static string Format(DateTimeOffset time) => PostsTableSchema.FormatTimestamp(time);

    /// <summary>Whether the text is already <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> with digits that make a real time.</summary>
    private static bool IsInTableForm(string value)
    {
        if (value.Length != PostsTableSchema.TimestampFormat.Length
            || value[4] != '-' || value[7] != '-' || value[10] != 'T' || value[13] != ':' || value[16] != ':'
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

        var year = (Digits(value, 0) * 100) + Digits(value, 2);
        var month = Digits(value, 5);
        var day = Digits(value, 8);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Digits(value, 11) <= 23 && Digits(value, 14) <= 59 && Digits(value, 17) <= 59;
    }

    private static int Digits(string value, int at) => ((value[at] - '0') * 10) + (value[at + 1] - '0');
}
