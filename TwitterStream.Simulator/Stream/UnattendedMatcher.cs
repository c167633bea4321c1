using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Ledger;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Stream;

/// <summary>
/// With Simulator:MatchWhileDisconnected, X's world goes on while no client is connected: posts are matched at the
/// configured pace and recorded in the ledger as missed and in the <see cref="MatchHistory"/>, from which only
/// backfill delivers them. Stops while a client is connected (the session generates then).
/// </summary>
internal sealed class UnattendedMatcher(
    IOptions<SimulatorOptions> options,
    IPostSource source,
    RuleStore rules,
    ConnectionGate gate,
    LedgerWriter ledger,
    SimStats stats,
    PostSequence sequence,
    MatchHistory history,
    TimeProvider time) : BackgroundService
{
    /// <summary>How often a disconnected simulator looks whether a client came or went.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.MatchWhileDisconnected || o.PostsPerSecond <= 0) return;
        var pacer = new Pacer(time, o.PostsPerSecond, o.BurstSize);
        var wasOpen = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Poll, time, stoppingToken);
                if (gate.IsOpen || rules.Snapshot.Length == 0)
                {
                    wasOpen = true;
                    continue;
                }
                if (wasOpen)
                {
                    pacer.Restart();
                    wasOpen = false;
                }
                for (var due = pacer.Take(256); due > 0; due--)
                {
                    if (o.TotalPosts > 0 && stats.PostsMatched >= o.TotalPosts) return;
                    var snapshot = rules.Snapshot;
                    var post = source.Get(sequence.Next(), snapshot);
                    if (post is null) return;
                    var matched = snapshot.Where(rule => rule.Root.Matches(post.Tokens)).ToArray();
                    if (matched.Length == 0) continue;
                    ledger.Append(post, matched, LedgerEntry.Missed);
                    history.Record(post);
                    stats.Missed();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
