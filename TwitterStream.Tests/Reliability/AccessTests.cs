using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Deploy;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Access: the simulator refuses a missing or wrong bearer token; the worker stops with a clear error on 401/403
/// instead of retrying; the deploy plan runs the worker as a non-root user on a read-only root filesystem, and the
/// worker runs under exactly those constraints.
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
            [WorkerVariables.ConsumerKey] = null,
            [WorkerVariables.ConsumerSecretKey] = null,
            [WorkerVariables.BearerToken] = "not-the-token-the-simulator-issued",
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
            [WorkerVariables.Table] = table,
            [WorkerVariables.Filter] = "cats",
            [WorkerVariables.BearerToken] = ScriptedXApi.BearerToken,
            [WorkerVariables.XApiBaseUrl] = api.BaseUrl.ToString().TrimEnd('/'),
            ["HTTP_PORTS"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
        };
        await using var process = DotnetApp.Start("TwitterStream.Worker", [], environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode != 0, $"exit code {exitCode}:{Environment.NewLine}{process.RecentOutput}");
        Assert.Contains("403", process.RecentOutput, StringComparison.Ordinal);
        Assert.Equal(1, api.StreamConnections);
        ReliabilityFigures.Record("access:403", $"worker exit code {exitCode}, stream connection attempts {api.StreamConnections}");
    }

    [Fact]
    public async Task Worker_runs_as_the_deploy_plans_container_runs_it()
    {
        // The deploy tool's plan for the committed manifest says how Fargate runs the worker.
        using var bed = new DeployTestBed();
        var planFolder = Path.Combine(bed.Root, "plan-for-review");
        var plan = await bed.RunAsync("plan", "--out", planFolder, "--manifest", DeployManifests.CommittedPath, "--region", "us-east-1");
        Assert.True(plan.ExitCode == 0, plan.Error);
        var container = ContainerDefinition.Read(Path.Combine(planFolder, "task-definition.json"));
        Assert.True(container.User is { } user && uint.TryParse(user, out var uid) && uid != 0, $"the container runs as '{container.User}', not a non-root user id");
        Assert.True(container.ReadOnlyRoot, "the task definition does not make the root filesystem read-only");

        if (await ReadOnlyRoot.WhyUnavailableAsync(container.User, container.WritableTmp, Scenario.Token) is { } reason)
        {
            Assert.Skip($"cannot run a process with a read-only root as user {container.User} here: {reason}");
        }

        // That user may not be able to enter the clone (a mode-700 home or mktemp -d folder): run the worker from a copy
        // of its output that anyone can read, as the image holds it.
        if (AppImageCopy.WhyUnavailable() is { } noCopy)
        {
            Assert.Skip($"cannot copy the worker's output where user {container.User} can read it: {noCopy}");
        }

        using var image = AppImageCopy.Create(WorkerProcess.AssemblyName);

        // The same constraints here: / read-only (and /tmp with it unless the task mounts a volume there), that user id,
        // and the runtime settings the task definition gives for them.
        const int total = 300;
        await using var system = await LocalSystem.StartAsync(Scenario.Settings(total, 300), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var environment = container.Environment.Where(e => e.Key.StartsWith("DOTNET_", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => (string?)e.Value);
        var worker = await system.StartWorkerAsync(environment, Scenario.Token,
            new LaunchOptions(Wrapper: ReadOnlyRoot.Wrapper(container.User, container.WritableTmp), AppDirectory: image.Directory));

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);
        var status = Encoding.ASCII.GetString(worker.Process.ReadProcFile("status"));
        Assert.Contains($"Uid:\t{container.User}\t", status, StringComparison.Ordinal);
        worker.Process.Terminate();
        var exitCode = await worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}:{Environment.NewLine}{worker.Process.RecentOutput}");
        Assert.DoesNotContain("Read-only file system", worker.Process.RecentOutput, StringComparison.OrdinalIgnoreCase);
        ReliabilityFigures.Record("access:container", string.Create(CultureInfo.InvariantCulture,
            $"task definition: user {container.User}, read-only root {container.ReadOnlyRoot}, writable /tmp {container.WritableTmp}; worker run so: {audit}, exit code {exitCode} on SIGTERM"));
    }

    /// <summary>The first container of a task definition file (register-task-definition input, camelCase keys).</summary>
    private sealed record ContainerDefinition(string? User, bool ReadOnlyRoot, bool WritableTmp, IReadOnlyDictionary<string, string> Environment)
    {
        public static ContainerDefinition Read(string path)
        {
            var task = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var container = Get(task, "containerDefinitions")!.AsArray()[0]!.AsObject();
            var mounts = Get(container, "mountPoints")?.AsArray() ?? [];
            var writableTmp = mounts.Any(m => (string?)Get(m!.AsObject(), "containerPath") == "/tmp" && Get(m!.AsObject(), "readOnly")?.GetValue<bool>() != true);
            var environment = (Get(container, "environment")?.AsArray() ?? []).ToDictionary(
                e => (string)Get(e!.AsObject(), "name")!, e => (string?)Get(e!.AsObject(), "value") ?? "", StringComparer.Ordinal);
            return new ContainerDefinition(
                (string?)Get(container, "user"),
                Get(container, "readonlyRootFilesystem")?.GetValue<bool>() == true,
                writableTmp,
                environment);
        }

        private static JsonNode? Get(JsonObject json, string name) =>
            json.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
