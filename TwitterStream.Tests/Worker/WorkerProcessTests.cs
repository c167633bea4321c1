using TwitterStream.Contracts;
using TwitterStream.Harness;
using System.Globalization;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class WorkerProcessTests(DynamoDbLocalFixture dynamo)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_missing_variable_exits_1_with_one_line_naming_it_and_never_the_secret()
    {
        const string secret = "consumer-secret-value-9f8e7d";
        var (exitCode, output) = await WorkerProcess.RunAsync(
            new Dictionary<string, string?>
            {
                [WorkerVariables.Table] = "posts",
                [WorkerVariables.Region] = LocalAwsCredentials.Region,
                [WorkerVariables.Filter] = "cats",
                [WorkerVariables.ConsumerSecretKey] = secret,
            },
            StartTimeout);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("CONSUMERKEY is missing", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
    }

    /// <summary>Settings with one malformed value (the X API's base URL) and a secret that must not be printed.</summary>
    internal static Dictionary<string, string?> MalformedSettings => new()
    {
        [WorkerVariables.Table] = "posts",
        [WorkerVariables.SdkRegion] = LocalAwsCredentials.Region,
        [WorkerVariables.Filter] = "cats",
        [WorkerVariables.BearerToken] = MalformedSettingsSecret,
        [WorkerVariables.XApiBaseUrl] = "api.x.com",
    };

    internal const string MalformedSettingsSecret = "bearer-secret-1234";

    /// <summary>The worker's exit code and output for <see cref="MalformedSettings"/>: 1, and one line naming the variable.</summary>
    internal static void AssertRefusedMalformedSettings(int exitCode, string output)
    {
        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("X_API_BASE_URL is not an absolute http(s) URL", line, StringComparison.Ordinal);
        Assert.DoesNotContain(MalformedSettingsSecret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_value_exits_1_naming_the_variable()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(MalformedSettings, StartTimeout);

        AssertRefusedMalformedSettings(exitCode, output);
    }

    [Fact]
    public async Task Rejected_credentials_stop_the_process_with_exit_code_2_and_a_clear_error()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (exitCode, output) = await WorkerProcess.RunAsync(
            new Dictionary<string, string?>
            {
                [WorkerVariables.Table] = "posts",
                [WorkerVariables.Region] = LocalAwsCredentials.Region,
                [WorkerVariables.Filter] = "cats",
                [WorkerVariables.BearerToken] = "revoked-token-5a4b3c",
                [WorkerVariables.XApiBaseUrl] = api.BaseUrl.ToString(),
                [WorkerVariables.DynamoDbEndpoint] = dynamo.ServiceUrl,
                ["HTTP_PORTS"] = LocalPorts.Free().ToString(),
            },
            StartTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("HTTP 401", output, StringComparison.Ordinal);
        Assert.Contains("check the X credentials", output, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-token-5a4b3c", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_check_argument_exits_1_when_nothing_answers()
    {
        var (exitCode, _) = await WorkerProcess.RunAsync(
            new Dictionary<string, string?> { ["HTTP_PORTS"] = LocalPorts.Free().ToString() },
            StartTimeout,
            "--health-check");
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task Sigterm_stops_reading_drains_the_buffer_and_exits_within_30_seconds()
    {
        const int posts = 3000;
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [.. Enumerable.Range(0, posts).Select(i => StreamLines.Post($"{10_000 + i}", $"user{i % 50}", $"post {i} ✓"))]));
        var table = $"posts-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(table);
        await using var worker = await WorkerProcess.StartAsync(
            new Dictionary<string, string?>
            {
                [WorkerVariables.Table] = table,
                [WorkerVariables.Region] = LocalAwsCredentials.Region,
                [WorkerVariables.Filter] = "cats",
                [WorkerVariables.ConsumerKey] = ScriptedXApi.ConsumerKey,
                [WorkerVariables.ConsumerSecretKey] = ScriptedXApi.ConsumerSecret,
                [WorkerVariables.XApiBaseUrl] = api.BaseUrl.ToString(),
                [WorkerVariables.DynamoDbEndpoint] = dynamo.ServiceUrl,
                [WorkerVariables.AccessKeyId] = LocalAwsCredentials.AccessKeyId,
                [WorkerVariables.SecretAccessKey] = LocalAwsCredentials.SecretAccessKey,
                [WorkerVariables.WriteConcurrency] = "1",
                ["Logging__LogLevel__Default"] = "Warning",
            },
            TestContext.Current.CancellationToken,
            inheritEnvironment: false);

        var atSignal = await Eventually.WaitAsync(
            () => worker.GetCountersAsync(TestContext.Current.CancellationToken),
            stats => stats is { Kept: posts },
            StartTimeout,
            "every post read from the stream");
        var (healthExit, _) = await WorkerProcess.RunAsync(
            new Dictionary<string, string?> { ["HTTP_PORTS"] = worker.BaseUrl.Port.ToString(CultureInfo.InvariantCulture) }, StartTimeout, "--health-check");

        var signalled = DateTime.UtcNow;
        worker.Process.Terminate();
        var exitCode = await worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(DateTime.UtcNow - signalled < TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{worker.Process.RecentOutput}");
        Assert.Equal(0, healthExit);
        Assert.True(atSignal!.Stored < posts, $"the buffer should still hold posts at SIGTERM (stored {atSignal.Stored})");
        var items = await InProcessWorker.ScanAsync(dynamo, table);
        Assert.Equal(posts, items.Count);
        Assert.Single(api.TokenRequests);
    }
}
