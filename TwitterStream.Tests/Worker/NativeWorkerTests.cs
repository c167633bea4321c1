using System.Globalization;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

/// <summary>The worker published once as Native AOT for the tests of <see cref="NativeWorkerTests"/>; null where it cannot be.</summary>
public sealed class NativeWorkerFixture : IAsyncLifetime
{
    private NativeAotPublish? _published;

    /// <summary>Why this machine cannot publish Native AOT (no clang on PATH, not Linux x64), or null.</summary>
    public string? SkipReason { get; } = NativeAotPublish.WhyUnavailable();

    /// <summary>How to start the native executable; only after <see cref="SkipReason"/> was checked.</summary>
    public LaunchOptions Launch => (_published ?? throw new InvalidOperationException("The worker was not published.")).Launch();

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is null)
        {
            _published = await NativeAotPublish.PublishAsync(WorkerProcess.AssemblyName, TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _published?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The worker as its container image ships it: published as Native AOT and run as its own process. AOT's risk is at
/// run time (trimmed or reflection-only code fails only when reached), so every path the image takes runs here: the
/// stream into DynamoDB with /stats and /health, <c>--health-check</c>, the <c>compliance-sweep</c> command, the EMF
/// documents written on ECS, secrets read through SSM, and a bad setting refused at start.
/// </summary>
public sealed class NativeWorkerTests(NativeWorkerFixture native) : IClassFixture<NativeWorkerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LaunchOptions Launch
    {
        get
        {
            Assert.SkipWhen(native.SkipReason is not null, native.SkipReason ?? "");
            return native.Launch;
        }
    }

    private static Dictionary<string, string> Stream(int posts) => new()
    {
        ["PostsPerSecond"] = "500",
        ["TotalPosts"] = posts.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Waits until the worker has read <paramref name="posts"/> and stored all it kept, then audits the table.</summary>
    private static async Task<WorkerStats> StoredEverythingAsync(LocalSystem system, WorkerProcess worker, int posts)
    {
        var stats = await Eventually.WaitAsync(
            () => worker.GetCountersAsync(Ct), s => s.Received == posts && s.Stored == s.Kept && s.BufferDepth == 0, Timeout,
            $"the native worker to store what it kept of {posts} posts");
        var audit = await system.AuditAsync(Ct);
        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(audit.Expected, stats!.Stored);
        return stats;
    }

    [Fact]
    public async Task The_stream_is_stored_exactly_once_and_stats_health_and_the_health_check_answer()
    {
        const int posts = 600;
        await using var system = await LocalSystem.StartAsync(Stream(posts), cancellationToken: Ct, workerLaunch: Launch);
        var worker = await system.StartWorkerAsync(cancellationToken: Ct);

        var stats = await StoredEverythingAsync(system, worker, posts);

        Assert.Equal(stats.Kept, stats.Stored);
        Assert.Equal(0, stats.Rejected);
        Assert.True(stats.StreamConnected);
        Assert.Equal(stats.Stored, stats.LatencyMs.Count);
        Assert.Equal(stats.Stored, stats.LatencyMs.Buckets.Sum(b => b.Count));
        Assert.InRange(stats.LatencyMs.P99, double.Epsilon, stats.LatencyMs.Max);
        Assert.NotNull(stats.Usage);
        Assert.Equal(posts, stats.Usage.CyclePosts);
        Assert.NotNull(stats.Recovery);
        Assert.True(await worker.IsHealthyAsync(Ct));

        var port = worker.BaseUrl.Port.ToString(CultureInfo.InvariantCulture);
        var (healthy, healthyOutput) = await WorkerProcess.RunAsync(new Dictionary<string, string?> { ["HTTP_PORTS"] = port }, Timeout, Launch, "--health-check");
        Assert.True(healthy == 0, healthyOutput);

        worker.Process.Terminate();
        Assert.Equal(0, await worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (unanswered, _) = await WorkerProcess.RunAsync(new Dictionary<string, string?> { ["HTTP_PORTS"] = port }, Timeout, Launch, "--health-check");
        Assert.Equal(1, unanswered);
    }

    [Fact]
    public async Task On_ECS_it_writes_valid_EMF_documents_to_stdout()
    {
        const int posts = 200;
        await using var system = await LocalSystem.StartAsync(Stream(posts), cancellationToken: Ct, workerLaunch: Launch);
        var worker = await system.StartWorkerAsync(new Dictionary<string, string?>
        {
            // Only its presence matters: nothing is read from it (a loopback address nobody listens on).
            [WorkerVariables.EcsContainerMetadataUri] = $"http://127.0.0.1:{LocalPorts.Free()}/v4/native-test",
            [WorkerVariables.MetricsIntervalSeconds] = "1",
            [WorkerVariables.DeploymentName] = "native-test",
        }, Ct);
        await StoredEverythingAsync(system, worker, posts);

        var documents = await Eventually.WaitAsync(
            () => Task.FromResult(EmfLines(worker.Process.RecentOutput)),
            lines => lines.Any(line => JsonNode.Parse(line)?[WorkerCloudWatchMetrics.PostsStored]?.GetValue<double>() > 0),
            Timeout,
            "an EMF document counting stored posts");

        Assert.All(documents!, line => Assert.Empty(EmfRules.Violations(line, DateTimeOffset.UtcNow)));
        Assert.All(documents!, line => Assert.Contains("\"native-test\"", line, StringComparison.Ordinal));
    }

    private static List<string> EmfLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("{\"_aws\"", StringComparison.Ordinal))];

    [Fact]
    public async Task The_compliance_sweep_command_deletes_exactly_the_posts_X_names()
    {
        await using var system = await ComplianceSweepTests.StartAsync(0.2);
        await ComplianceSweepTests.SeedAsync(system, 120);
        var before = ComplianceSweepTests.Posts(await ComplianceSweepTests.ItemsAsync(system));
        var marked = await ComplianceSweepTests.MarkAsync(system, before.Values, every: 5);

        var (exit, output) = await WorkerProcess.RunAsync(
            ComplianceSweepTests.SweepEnvironment(system, jobSize: 1000), TimeSpan.FromMinutes(2), Launch, WorkerVariables.ComplianceSweepCommand);

        Assert.True(exit == 0, output);
        ComplianceSweepTests.AssertExactlyMarkedGone(before, ComplianceSweepTests.Posts(await ComplianceSweepTests.ItemsAsync(system)), marked);
        Assert.Contains($"checked {before.Count} post ids in 1 X jobs, deleted {marked.Count} items", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_read_from_Secrets_Manager_through_SSM()
    {
        var launch = Launch;
        var motoServer = MotoServerProcess.FindOnPath();
        Assert.SkipWhen(motoServer is null, MotoServerProcess.MissingReason);
        await using var moto = await MotoServerProcess.StartAsync(motoServer!, Ct);
        using (var http = new HttpClient())
        {
            var seeder = new SecretsManagerSeeder(http, moto.ServiceUrl, LocalAwsCredentials.Region, TimeProvider.System);
            await seeder.SeedAsync("twitterstream/consumer-key", LocalSystem.ConsumerKey, Ct);
            await seeder.SeedAsync("twitterstream/consumer-secret", LocalSystem.ConsumerSecret, Ct);
        }

        const int posts = 100;
        await using var system = await LocalSystem.StartAsync(Stream(posts), cancellationToken: Ct, workerLaunch: launch);
        var worker = await system.StartWorkerAsync(new Dictionary<string, string?>
        {
            // No credential in the environment: only where to read them.
            [WorkerVariables.ConsumerKey] = null,
            [WorkerVariables.ConsumerSecretKey] = null,
            [SsmSecretReferences.EnvironmentVariable(WorkerVariables.ConsumerKey)] = SsmSecretReferences.ParameterName("twitterstream/consumer-key"),
            [SsmSecretReferences.EnvironmentVariable(WorkerVariables.ConsumerSecretKey)] = SsmSecretReferences.ParameterName("twitterstream/consumer-secret"),
            [SsmSecretReferences.SsmEndpoint] = moto.ServiceUrl.ToString(),
        }, Ct);

        await StoredEverythingAsync(system, worker, posts);
        Assert.DoesNotContain(LocalSystem.ConsumerSecret, worker.Process.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_it_with_one_line_naming_the_variable()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(WorkerProcessTests.MalformedSettings, Timeout, Launch);

        WorkerProcessTests.AssertRefusedMalformedSettings(exitCode, output);
    }
}
