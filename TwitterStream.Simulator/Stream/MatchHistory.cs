using Microsoft.Extensions.Options;
using TwitterStream.Simulator.Posts;

namespace TwitterStream.Simulator.Stream;

/// <summary>
/// The posts matched for the stream in the last <see cref="Window"/> (sent live, or missed while no client was
/// connected), with when, on the simulator's clock: what <c>backfill_minutes</c> sends again.
/// </summary>
internal sealed class MatchHistory(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private readonly int _limit = options.Value.BackfillHistoryPosts;

    /// <summary>X's backfill reaches back at most 5 minutes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Queue<(SimPost Post, DateTimeOffset At)> _matched = new();
    private readonly Lock _lock = new();

    public void Record(SimPost post)
    {
        if (_limit == 0) return;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _matched.Enqueue((post, now));
            while (_matched.TryPeek(out var oldest) && (oldest.At < now - Window || _matched.Count > _limit)) _matched.Dequeue();
        }
    }

    /// <summary>The posts matched in the last <paramref name="minutes"/> minutes, oldest first.</summary>
    public SimPost[] Since(int minutes)
    {
        var from = time.GetUtcNow() - TimeSpan.FromMinutes(minutes);
        lock (_lock) return [.. _matched.Where(entry => entry.At >= from).Select(entry => entry.Post)];
    }
}
