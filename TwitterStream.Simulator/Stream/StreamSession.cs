using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Faults;
using TwitterStream.Simulator.Ledger;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;
using TwitterStream.Simulator.Usage;

namespace TwitterStream.Simulator.Stream;

/// <summary>
/// One open stream: generates posts at the configured pace, sends those matching a rule (once, with every matching
/// rule), records them in the ledger, sends keep-alives when idle and applies the faults in force.
/// </summary>
internal sealed class StreamSession(
    IOptions<SimulatorOptions> options,
    IPostSource source,
    RuleStore rules,
    FaultState faults,
    LedgerWriter ledger,
    SimStats stats,
    PostSequence sequence,
    UsageMeter usage,
    MatchHistory history,
    TimeProvider time)
{
    /// <summary>Posts considered per flush when the client sets the pace.</summary>
    private const int Batch = 256;

    private static readonly byte[] KeepAlive = "\r\n"u8.ToArray();
    private static readonly byte[] OperationalDisconnect =
        "{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":\"UpstreamOperationalDisconnect\",\"detail\":\"This stream has been disconnected upstream for operational reasons.\",\"type\":\"https://api.x.com/2/problems/operational-disconnect\"}]}\r\n"u8.ToArray();

    /// <param name="backfillMinutes">1-5: first the posts matched in those minutes that still match a rule, oldest first.</param>
    public async Task RunAsync(HttpResponse response, StreamFields fields, int backfillMinutes, CancellationToken cancellationToken)
    {
        var o = options.Value;
        response.ContentType = "application/json; charset=utf-8";
        await response.StartAsync(cancellationToken);
        var pipe = response.BodyWriter;
        await pipe.FlushAsync(cancellationToken);

        using var serializer = new PostSerializer(pipe, fields);
        var matched = new List<StreamRule>(4);
        if (backfillMinutes > 0 && !await BackfillAsync(pipe, serializer, matched, backfillMinutes, cancellationToken)) return;

        var random = Prng.For(o.Seed, -2L - sequence.NextConnection());
        var pacer = new Pacer(time, o.PostsPerSecond, o.BurstSize);
        var keepAliveEvery = TimeSpan.FromSeconds(o.KeepAliveSeconds);
        var lastWrite = time.GetTimestamp();
        var postsOnConnection = 0L;
        var stalled = false;
        var exhausted = false;

        while (!cancellationToken.IsCancellationRequested)
        {
            var fault = faults.Current;
            if (!stalled && fault.StallSeconds > 0 && postsOnConnection >= fault.StallAfterPosts)
            {
                stalled = true;
                await pipe.FlushAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(fault.StallSeconds), time, cancellationToken);
                pacer.Restart();
                lastWrite = time.GetTimestamp();
                continue;
            }

            var sinceWrite = time.GetElapsedTime(lastWrite);
            if (sinceWrite >= keepAliveEvery)
            {
                serializer.WriteRaw(KeepAlive);
                stats.KeepAliveSent();
                if (!await FlushAsync(pipe, cancellationToken)) return;
                lastWrite = time.GetTimestamp();
                continue;
            }

            var due = exhausted ? 0 : pacer.Take(Batch);
            if (due == 0)
            {
                var untilKeepAlive = keepAliveEvery - sinceWrite;
                var wait = exhausted || pacer.Unlimited ? untilKeepAlive : Min(pacer.UntilNext(), untilKeepAlive);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            var wrote = false;
            for (var i = 0; i < due; i++)
            {
                if (o.TotalPosts > 0 && stats.PostsMatched >= o.TotalPosts)
                {
                    exhausted = true;
                    break;
                }
                if (usage.CapReached)
                {
                    // The cap is used up: X ends the stream, and the next request gets the usage-capped 429.
                    await FlushAsync(pipe, cancellationToken);
                    return;
                }
                var snapshot = rules.Snapshot;
                var post = source.Get(sequence.Next(), snapshot);
                if (post is null)
                {
                    exhausted = true;
                    break;
                }
                matched.Clear();
                foreach (var rule in snapshot) if (rule.Root.Matches(post.Tokens)) matched.Add(rule);
                if (matched.Count == 0) continue;

                if (fault.MalformedLineRate > 0 && random.NextDouble() < fault.MalformedLineRate)
                {
                    serializer.WriteRaw(MalformedLines.Bytes(MalformedLines.Pick(ref random)));
                    serializer.WriteRaw(KeepAlive);
                    stats.MalformedSent();
                }
                serializer.WritePost(post, matched);
                stats.PostSent();
                ledger.Append(post, [.. matched]);
                history.Record(post);
                postsOnConnection++;
                wrote = true;
                if (fault.DuplicateRate > 0 && random.NextDouble() < fault.DuplicateRate)
                {
                    serializer.WritePost(post, matched);
                    stats.DuplicateSent();
                }

                if (EveryN(fault.OperationalDisconnectEveryPosts, postsOnConnection))
                {
                    serializer.WriteRaw(OperationalDisconnect);
                    await FlushAsync(pipe, cancellationToken);
                    return;
                }
                if (EveryN(fault.CloseEveryPosts, postsOnConnection))
                {
                    await FlushAsync(pipe, cancellationToken);
                    return;
                }
                if (!stalled && fault.StallSeconds > 0 && postsOnConnection >= fault.StallAfterPosts) break;
            }

            if (wrote)
            {
                if (!await FlushAsync(pipe, cancellationToken)) return;
                lastWrite = time.GetTimestamp();
            }
            else if (pacer.Unlimited)
            {
                // Nothing matched in a whole batch: let the keep-alive clock and other requests run.
                await Task.Yield();
            }
        }
    }

    /// <summary>Sends the window's posts again (each counted and put in the ledger as a re-delivery); false when the client went away.</summary>
    private async Task<bool> BackfillAsync(PipeWriter pipe, PostSerializer serializer, List<StreamRule> matched, int minutes, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var post in history.Since(minutes))
        {
            matched.Clear();
            foreach (var rule in rules.Snapshot) if (rule.Root.Matches(post.Tokens)) matched.Add(rule);
            if (matched.Count == 0) continue;
            serializer.WritePost(post, matched);
            stats.BackfillSent();
            ledger.Append(post, [.. matched], LedgerEntry.Backfilled);
            if (++sent % Batch == 0 && !await FlushAsync(pipe, cancellationToken)) return false;
        }
        return await FlushAsync(pipe, cancellationToken);
    }

    private static bool EveryN(int n, long count) => n > 0 && count % n == 0;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>False when the client has gone away.</summary>
    private static async ValueTask<bool> FlushAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        var result = await pipe.FlushAsync(cancellationToken);
        return !result.IsCompleted && !result.IsCanceled;
    }
}
