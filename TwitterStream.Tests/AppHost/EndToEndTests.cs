using TwitterStream.Harness;
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

        await WaitUntilTheLedgerIsStoredOnceAsync(app, "dynamodb-local", tableName, timeout.Token, ct);
    }

    /// <summary>
    /// Waits for the real signal: the table holds exactly the ledger's matched posts, and the ledger has stopped
    /// growing. Fails with the audit when <paramref name="timeout"/> ends first.
    /// </summary>
    internal static async Task WaitUntilTheLedgerIsStoredOnceAsync(
        DistributedApplication app, string emulator, string tableName, CancellationToken timeout, CancellationToken ct)
    {
        using var simulator = app.CreateHttpClient("simulator", "http");
        using var dynamo = AwsEmulatorResourceExtensions.CreateDynamoDbClient(app.GetEndpoint(emulator, "http").ToString(), Region);
        var previousLedgerSize = -1;
        while (true)
        {
            var ledger = await ReadLedgerAsync(simulator, timeout);
            var audit = CompletenessAudit.Compare(ledger, await PostsTable.ScanAsync(dynamo, tableName, timeout), StreamRuleTag.Default);
            if (audit.IsComplete && audit.Expected > 0 && ledger.Count == previousLedgerSize)
            {
                return;
            }

            previousLedgerSize = ledger.Count;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), timeout); // poll interval, not a synchronisation
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Assert.Fail($"The table never matched the simulator's ledger ({ledger.Count} posts sent): {audit}");
            }
        }
    }

    private static async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(HttpClient simulator, CancellationToken ct)
    {
        using var response = await simulator.GetAsync(LedgerEntry.Path, ct);
        Assert.True(response.IsSuccessStatusCode, $"The simulator answered GET {LedgerEntry.Path} with {(int)response.StatusCode}; it must serve its ledger (NDJSON).");
        return LedgerEntry.ParseNdjson(await response.Content.ReadAsStringAsync(ct));
    }
}
