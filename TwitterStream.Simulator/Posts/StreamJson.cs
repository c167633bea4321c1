using System.Globalization;
using System.Text.Encodings.Web;

namespace TwitterStream.Simulator.Posts;

/// <summary>JSON conventions shared by the stream, the ledger and the replay reader.</summary>
internal static class StreamJson
{
    /// <summary>X sends non-ASCII text as raw UTF-8, not \u escapes.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>X's <c>created_at</c>: ISO-8601 UTC with milliseconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
