using TwitterStream.Simulator.Faults;
using TwitterStream.Simulator.Usage;

namespace TwitterStream.Simulator;

/// <summary>Everything under the <c>Simulator</c> configuration section (env vars: <c>Simulator__PostsPerSecond=500</c>).</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    public string ConsumerKey { get; set; } = "sim-consumer-key";
    public string ConsumerSecret { get; set; } = "sim-consumer-secret";

    /// <summary>The token <c>/oauth2/token</c> issues and the API accepts; derived from the consumer key and secret when empty.</summary>
    public string BearerToken { get; set; } = "";

    public int Seed { get; set; } = 1;

    /// <summary>Posts generated per second (before rule filtering); 0 = as fast as the client reads.</summary>
    public double PostsPerSecond { get; set; } = 50;

    /// <summary>Posts released together; 1 = a steady rate, larger values send bursts at the same average rate.</summary>
    public int BurstSize { get; set; } = 1;

    /// <summary>Share (0..1) of generated posts that are written to satisfy one of the current rules.</summary>
    public double MatchingShare { get; set; } = 0.5;

    /// <summary>
    /// Share (0..1) of generated posts that are long ones (281 to 25,000 characters): sent with <c>text</c> cut as X
    /// cuts it and the whole text in <c>note_tweet</c> when the request asks for <c>tweet.fields=note_tweet</c>.
    /// </summary>
    public double LongPostShare { get; set; } = 0.02;

    /// <summary>Stop sending after this many distinct posts have been sent (0 = unlimited).</summary>
    public long TotalPosts { get; set; }

    public int KeepAliveSeconds { get; set; } = 20;

    /// <summary>NDJSON file that receives one line per distinct post sent; empty keeps the ledger in memory only.</summary>
    public string LedgerPath { get; set; } = "";

    /// <summary>NDJSON file of posts (X stream messages) to replay instead of generating posts.</summary>
    public string ReplayPath { get; set; } = "";

    /// <summary>
    /// Answer <c>backfill_minutes</c> with X's 403 client-forbidden, as a plan without backfill does (default false:
    /// backfill is served).
    /// </summary>
    public bool RefuseBackfill { get; set; }

    /// <summary>
    /// Keep matching posts at the configured pace while no client is connected, as X does: they are in the ledger
    /// (delivery <c>missed</c>) and only backfill can bring them. Default false: posts are generated only while a
    /// client reads.
    /// </summary>
    public bool MatchWhileDisconnected { get; set; }

    /// <summary>
    /// The most matched posts kept for backfill (besides its 5 minutes): bounds the simulator's memory at high rates;
    /// 0 keeps none, so backfill sends nothing.
    /// </summary>
    public int BackfillHistoryPosts { get; set; } = 200_000;

    public FaultOptions Faults { get; set; } = new();

    public UsageOptions Usage { get; set; } = new();
}
