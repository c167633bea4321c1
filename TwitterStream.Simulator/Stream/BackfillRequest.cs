namespace TwitterStream.Simulator.Stream;

/// <summary>The stream's <c>backfill_minutes</c> query parameter: whole minutes, 1 to 5, as X documents it.</summary>
internal static class BackfillRequest
{
    public const string Parameter = "backfill_minutes";

    /// <summary>0 when absent; null with X's kind of message when the value is not 1-5.</summary>
    public static int? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        if (!query.TryGetValue(Parameter, out var values)) return 0;
        var text = values.ToString();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
            && minutes is >= 1 and <= 5)
            return minutes;
        error = $"The `{Parameter}` query parameter value [{text}] is not between 1 and 5";
        return null;
    }
}
