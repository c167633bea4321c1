using TwitterStream.Contracts;
using TwitterStream.Harness;
using System.Net.Http.Json;
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
            new Dictionary<string, string>
            {
                ["DYNAMODBTABLE"] = "posts",
                ["AWSREGION"] = "us-east-1",
                ["FILTER"] = "cats",
                ["CONSUMERSECRETKEY"] = secret,
            },
            StartTimeout);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("CONSUMERKEY is missing", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_value_exits_1_naming_the_variable()
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(
            new Dictionary<string, string>
            {
                ["DYNAMODBTABLE"] = "posts",
                ["AWS_REGION"] = "us-east-1",
                ["FILTER"] = "cats",
                ["BEARERTOKEN"] = "bearer-secret-1234",
                ["X_API_BASE_URL"] = "api.x.com",
            },
            StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("X_API_BASE_URL is not an absolute http(s) URL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bearer-secret-1234", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_credentials_stop_the_process_with_exit_code_2_and_a_clear_error()
    {
        await using var api = await ScriptedXApi.StartAsync();
        var (exitCode, output) = await WorkerProcess.RunAsync(
            new Dictionary<string, string>
            {
                ["DYNAMODBTABLE"] = "posts",
                ["AWSREGION"] = "us-east-1",
                ["FILTER"] = "cats",
                ["BEARERTOKEN"] = "revoked-token-5a4b3c",
                ["X_API_BASE_URL"] = api.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.ServiceUrl,
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
            new Dictionary<string, string> { ["HTTP_PORTS"] = LocalPorts.Free().ToString() },
            StartTimeout,
            "--health-check");
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task Sigterm_stops_reading_drains_the_buffer_and_exits_within_30_seconds()
    {
        const int posts = 3000;
        await using var api = await ScriptedXApi.StartAsync();
        api.EnqueueStream(new StreamScript(Lines: [.. Enumerable.Range(0, posts).Select(i => StreamLines.Post($"{10_000 + i}", $"user{i % 50}", $"post {i} ✓"))]));
        var table = $"posts-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(table);
        var port = LocalPorts.Free();
        await using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["DYNAMODBTABLE"] = table,
            ["AWSREGION"] = "us-east-1",
            ["FILTER"] = "cats",
            ["CONSUMERKEY"] = ScriptedXApi.ConsumerKey,
            ["CONSUMERSECRETKEY"] = ScriptedXApi.ConsumerSecret,
            ["X_API_BASE_URL"] = api.BaseUrl.ToString(),
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.ServiceUrl,
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["HTTP_PORTS"] = port.ToString(),
            ["WRITE_CONCURRENCY"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var atSignal = await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    return await http.GetFromJsonAsync<WorkerStats>("/stats", TestContext.Current.CancellationToken);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            stats => stats is { Kept: posts },
            StartTimeout,
            "every post read from the stream");
        var (healthExit, _) = await WorkerProcess.RunAsync(new Dictionary<string, string> { ["HTTP_PORTS"] = port.ToString() }, StartTimeout, "--health-check");

        var signalled = DateTime.UtcNow;
        worker.SendSigterm();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(DateTime.UtcNow - signalled < TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{worker.Output}");
        Assert.Equal(0, healthExit);
        Assert.True(atSignal!.Stored < posts, $"the buffer should still hold posts at SIGTERM (stored {atSignal.Stored})");
        var items = await InProcessWorker.ScanAsync(dynamo, table);
        Assert.Equal(posts, items.Count);
        Assert.Single(api.TokenRequests);
    }
}
