using System.Diagnostics;
using Amazon.DynamoDBv2;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest.Baselines;

/// <summary>
/// Stores posts one awaited PutItem at a time into a fresh posts table on the same DynamoDB Local the worker used, with
/// the same item the worker writes for each post, so only the way of writing differs.
/// </summary>
public static class SequentialPutBaseline
{
    public static string Describe(BaselineKind kind) => kind switch
    {
        BaselineKind.Walkthrough => "walkthrough: new client + awaited PutItem per post",
        BaselineKind.PlainLoop => "plain loop: one client, awaited PutItem per post",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown baseline"),
    };

    /// <param name="createClient">Makes a client for the DynamoDB Local the worker used (directly or through a proxy).</param>
    public static async Task<BaselineResult> RunAsync(
        Func<IAmazonDynamoDB> createClient,
        BaselineKind kind,
        TimeSpan warmup,
        TimeSpan window,
        CancellationToken cancellationToken)
    {
        var table = $"baseline-{kind.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}";
        using (var admin = createClient())
        {
            await PostsTable.CreateAsync(admin, table, cancellationToken);
        }

        var items = new WorkerItems();
        using var shared = kind == BaselineKind.PlainLoop ? createClient() : null;
        var clock = Stopwatch.StartNew();
        TimeSpan? windowStart = null;
        long puts = 0;
        long putsAtWindowStart = 0;
        while (clock.Elapsed < warmup + window)
        {
            if (windowStart is null && clock.Elapsed >= warmup)
            {
                windowStart = clock.Elapsed;
                putsAtWindowStart = puts;
            }

            var item = items.Next();
            if (shared is not null)
            {
                await shared.PutItemAsync(table, item, cancellationToken);
            }
            else
            {
                using var perPost = createClient();
                await perPost.PutItemAsync(table, item, cancellationToken);
            }

            puts++;
        }

        var windowSeconds = (clock.Elapsed - (windowStart ?? clock.Elapsed)).TotalSeconds;
        var measured = puts - putsAtWindowStart;
        return new BaselineResult(kind.ToString(), Describe(kind), windowSeconds, measured, windowSeconds > 0 ? measured / windowSeconds : 0);
    }
}
