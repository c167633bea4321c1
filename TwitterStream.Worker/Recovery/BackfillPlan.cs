namespace TwitterStream.Worker.Recovery;

/// <summary>
/// What one connection asks of X's backfill (<c>backfill_minutes</c>, whole minutes, 1 to 5) to cover the gap since
/// <see cref="StoredThrough"/>, and the part of the gap it cannot cover: the posts created from
/// <see cref="UncoveredFrom"/> until <see cref="UncoveredTo"/> are possibly missed.
/// </summary>
internal sealed record BackfillPlan(
    DateTimeOffset ConnectAt,
    DateTimeOffset StoredThrough,
    int Minutes,
    DateTimeOffset? UncoveredFrom,
    DateTimeOffset? UncoveredTo)
{
    public const int MaxMinutes = 5;

    /// <summary>
    /// Reaches back before <see cref="StoredThrough"/>: X stamps created_at before it sends, so a post sent after the
    /// last one stored can be a little older; and the task's clock and X's can differ by a little.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public TimeSpan Gap => ConnectAt > StoredThrough ? ConnectAt - StoredThrough : TimeSpan.Zero;

    public TimeSpan Uncovered => UncoveredTo is { } to && UncoveredFrom is { } from ? to - from : TimeSpan.Zero;

    /// <param name="ask">False when BACKFILL=off or X refused it: nothing of the gap is covered.</param>
    public static BackfillPlan For(DateTimeOffset storedThrough, DateTimeOffset now, bool ask)
    {
        var from = storedThrough - Margin;
        var needed = now > from ? now - from : TimeSpan.Zero;
        var minutes = ask ? (int)Math.Clamp(Math.Ceiling(needed.TotalMinutes), 1, MaxMinutes) : 0;
        var coveredFrom = now - TimeSpan.FromMinutes(minutes);
        return coveredFrom > from
            ? new BackfillPlan(now, storedThrough, minutes, from, coveredFrom)
            : new BackfillPlan(now, storedThrough, minutes, null, null);
    }
}
