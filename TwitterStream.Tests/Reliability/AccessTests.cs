using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Access: the simulator refuses a missing or wrong bearer token; the worker stops with a clear error on 401/403
/// instead of retrying; the worker runs as a container with a read-only root filesystem would make it.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class AccessTests(SharedDynamoDbLocal dynamo)
{
    [Fact]
    public async Task Simulator_refuses_a_missing_or_wrong_bearer_token()
    {
        await using var system = await LocalSystem.StartAsync(Scenario.Settings(10, 10), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        using var http = new HttpClient { BaseAddress = system.Simulator.BaseUrl };
        string[] paths = ["/2/tweets/search/stream/rules", "/2/tweets/search/stream"];
        foreach (var path in paths)
        {
            foreach (var authorization in new AuthenticationHeaderValue?[] { null, new("Bearer", "wrong-token"), new("Basic", "d3Jvbmc6d3Jvbmc=") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = authorization;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Scenario.Token);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} with {authorization?.Scheme ?? "no"} authorization answered {(int)response.StatusCode}");
            }
        }

        var sim = await system.Simulator.GetCountersAsync(Scenario.Token);
        Assert.Equal(0, sim.Connections);
    }

    [Fact]
    public async Task Worker_stops_on_401_without_retrying()
    {
        await using var system = await LocalSystem.StartAsync(Scenario.Settings(10, 10), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var environment = system.WorkerEnvironment(new Dictionary<string, string?>
        {
            ["CONSUMERKEY"] = null,
            ["CONSUMERSECRETKEY"] = null,
            ["BEARERTOKEN"] = "not-the-token-the-simulator-issued",
            ["HTTP_PORTS"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
        });
        await using var process = DotnetApp.Start("TwitterStream.Worker", [], environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode != 0, $"exit code {exitCode}:{Environment.NewLine}{process.RecentOutput}");
        Assert.Contains("401", process.RecentOutput, StringComparison.Ordinal);
        Assert.Equal(0, (await system.Simulator.GetCountersAsync(Scenario.Token)).ConnectionAttempts);
        ReliabilityFigures.Record("access:401", $"worker exit code {exitCode}, stream connection attempts 0");
    }

    [Fact]
    public async Task Worker_stops_on_403_from_the_stream_after_one_attempt()
    {
        await using var api = await ScriptedXApi.StartAsync([], Scenario.Token);
        api.StreamRefusalStatus = 403;
        var table = $"access-{Guid.NewGuid():N}";
        using var client = dynamo.Process.CreateClient();
        await PostsTable.CreateAsync(client, table, Scenario.Token);
        var environment = new Dictionary<string, string?>(dynamo.Process.SdkEnvironment)
        {
            ["DYNAMODBTABLE"] = table,
            ["FILTER"] = "cats",
            ["BEARERTOKEN"] = ScriptedXApi.BearerToken,
            ["X_API_BASE_URL"] = api.BaseUrl.ToString().TrimEnd('/'),
            ["HTTP_PORTS"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
        };
        await using var process = DotnetApp.Start("TwitterStream.Worker", [], environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode != 0, $"exit code {exitCode}:{Environment.NewLine}{process.RecentOutput}");
        Assert.Contains("403", process.RecentOutput, StringComparison.Ordinal);
        Assert.Equal(1, api.Connections);
        ReliabilityFigures.Record("access:403", $"worker exit code {exitCode}, stream connection attempts {api.Connections}");
    }

    [Fact]
    public async Task Worker_runs_with_a_read_only_root_filesystem()
    {
        if (await ReadOnlyRoot.WhyUnavailableAsync(Scenario.Token) is { } reason)
        {
            Assert.Skip($"cannot give a process a read-only root here: {reason}");
        }

        const int total = 300;
        await using var system = await LocalSystem.StartAsync(Scenario.Settings(total, 300), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var worker = await system.StartWorkerAsync(cancellationToken: Scenario.Token, launch: new LaunchOptions(Wrapper: ReadOnlyRoot.Wrapper));

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);
        worker.Process.Terminate();
        var exitCode = await worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}:{Environment.NewLine}{worker.Process.RecentOutput}");
        Assert.DoesNotContain("Read-only file system", worker.Process.RecentOutput, StringComparison.OrdinalIgnoreCase);
        ReliabilityFigures.Record("access:read-only-root", $"worker ran with / read-only and a tmpfs /tmp: {audit}, exit code {exitCode} on SIGTERM");
    }
}
