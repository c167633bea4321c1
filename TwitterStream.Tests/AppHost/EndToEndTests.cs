using TwitterStream.Harness;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using TwitterStream.Contracts;
using TwitterStream.Tests.Infrastructure;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The whole system as <c>dotnet run --project TwitterStream.AppHost</c> starts it, in the Docker-free mode: every post
/// the simulator's ledger says it sent (and matched our rule) must end up in the table exactly once.
/// </summary>
public sealed class EndToEndTests
{
    private const int TotalPosts = 200;
    private const string Region = LocalAwsCredentials.Region;

    private sealed record LedgerRule(string Id, string Tag);

    private sealed record LedgerPost(string Id, string AuthorId, string Username, string CreatedAt, LedgerRule[] Rules);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    [Fact]
    public async Task Every_post_the_simulator_sent_and_matched_is_stored_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var dynamoDbPort = LocalPorts.Free();
        var tableName = $"e2e-{Guid.NewGuid():N}";

        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            "TwitterStream:AwsEmulator=dynamodb-local",
            $"TwitterStream:DynamoDbPort={dynamoDbPort}",
            "TwitterStream:DynamoDbAdmin=false",
            $"TwitterStream:TableName={tableName}",
            $"Simulator:TotalPosts={TotalPosts}",
            "Simulator:PostsPerSecond=100",
        ], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);

        using var simulator = app.CreateHttpClient("simulator", "http");
        using var dynamo = AwsEmulatorResourceExtensions.CreateDynamoDbClient(app.GetEndpoint("dynamodb-local", "http").ToString(), Region);

        // Wait for the real signal: the table holds exactly the ledger's matched posts, and the ledger has stopped growing.
        var previousLedgerSize = -1;
        string? mismatch = null;
        while (true)
        {
            var ledger = await ReadLedgerAsync(simulator, timeout.Token);
            var items = await ScanAsync(dynamo, tableName, timeout.Token);
            mismatch = Compare(ledger, items);
            if (mismatch is null && ledger.Count > 0 && ledger.Count == previousLedgerSize)
            {
                break;
            }

            previousLedgerSize = ledger.Count;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token); // poll interval, not a synchronisation
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Assert.Fail($"The table never matched the simulator's ledger ({ledger.Count} posts sent): {mismatch ?? "the ledger is empty"}");
            }
        }
    }

    private static async Task<List<LedgerPost>> ReadLedgerAsync(HttpClient simulator, CancellationToken ct)
    {
        using var response = await simulator.GetAsync("/_sim/ledger", ct);
        Assert.True(response.IsSuccessStatusCode, $"The simulator answered GET /_sim/ledger with {(int)response.StatusCode}; it must serve its ledger (NDJSON).");
        var text = await response.Content.ReadAsStringAsync(ct);
        return
        [
            .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonSerializer.Deserialize<LedgerPost>(line, Json)!)
                .Where(post => post.Rules is { Length: > 0 }),
        ];
    }

    /// <summary>The posts in the table: the worker's own budget item (reserved partition key) is not a post.</summary>
    private static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(
        Amazon.DynamoDBv2.IAmazonDynamoDB dynamo, string tableName, CancellationToken ct) =>
        [.. (await TwitterStream.Harness.PostsTable.ScanAsync(dynamo, tableName, ct)).Select(post => new Dictionary<string, AttributeValue>(post.Item))];

    /// <summary>Null when each ledger post is stored exactly once (key: its author + a date ending in its id) and nothing else is.</summary>
    private static string? Compare(List<LedgerPost> ledger, List<Dictionary<string, AttributeValue>> items)
    {
        var keys = items.Select(item => (User: item[PostsTableSchema.PartitionKey].S, Date: item[PostsTableSchema.SortKey].S)).ToList();
        var missing = new List<string>();
        var duplicated = new List<string>();
        foreach (var post in ledger)
        {
            var stored = keys.Count(key =>
                (key.User == post.Username || key.User == post.AuthorId) && key.Date.EndsWith(post.Id, StringComparison.Ordinal));
            if (stored == 0)
            {
                missing.Add(post.Id);
            }
            else if (stored > 1)
            {
                duplicated.Add(post.Id);
            }
        }

        var extra = keys.Count - (ledger.Count - missing.Count) - duplicated.Count;
        return missing.Count == 0 && duplicated.Count == 0 && extra == 0
            ? null
            : $"{missing.Count} missing (e.g. {string.Join(", ", missing.Take(3))}), {duplicated.Count} stored more than once " +
              $"(e.g. {string.Join(", ", duplicated.Take(3))}), {Math.Max(extra, 0)} items not in the ledger; {keys.Count} items in the table";
    }
}
