using TwitterStream.Contracts;
using TwitterStream.Harness;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Tests.Worker;

/// <summary>The real worker host, in the test process, against the scripted X API and DynamoDB Local.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app, string tableName)
    {
        _app = app;
        TableName = tableName;
    }

    public string TableName { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where the worker's health and stats endpoints listen.</summary>
    public Uri BaseAddress => new(_app.Urls.First());

    public WorkerStats Stats => _app.Services.GetRequiredService<WorkerMetrics>().Snapshot()
        .WithRecovery(_app.Services.GetRequiredService<RecoveryTracker>());

    /// <summary>Every log record so far.</summary>
    public IReadOnlyList<FakeLogRecord> Logs => _app.Services.GetFakeLogCollector().GetSnapshot();

    public int ExitCode => _app.Services.GetRequiredService<WorkerExit>().Code;

    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static Task<InProcessWorker> StartAsync(
        ScriptedXApi api,
        DynamoDbLocalFixture dynamo,
        IDictionary<string, string?>? settings = null,
        IAmazonDynamoDB? client = null,
        TimeProvider? time = null,
        string? existingTable = null) =>
        StartAsync(api.BaseUrl, dynamo, settings, client, time, existingTable);

    /// <summary>Against any X API at <paramref name="xApi"/> (the scripted one's bearer token unless settings say otherwise).</summary>
    public static async Task<InProcessWorker> StartAsync(
        Uri xApi,
        DynamoDbLocalFixture dynamo,
        IDictionary<string, string?>? settings = null,
        IAmazonDynamoDB? client = null,
        TimeProvider? time = null,
        string? existingTable = null)
    {
        var table = existingTable ?? $"posts-{Guid.NewGuid():N}";
        if (existingTable is null)
        {
            await dynamo.CreatePostsTableAsync(table);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (Environment.GetEnvironmentVariable("WORKER_TEST_LOGS") is null)
        {
            builder.Logging.ClearProviders();
        }

        builder.Logging.AddFakeLogging();

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WorkerVariables.Table] = table,
            [WorkerVariables.Region] = LocalAwsCredentials.Region,
            [WorkerVariables.Filter] = "cats OR dogs",
            [WorkerVariables.BearerToken] = ScriptedXApi.BearerToken,
            [WorkerVariables.XApiBaseUrl] = xApi.ToString(),
            [WorkerVariables.DynamoDbEndpoint] = dynamo.ServiceUrl,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        WorkerHost.Configure(builder);
        builder.Services.AddSingleton(client ?? dynamo.CreateClient());
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var app = WorkerHost.Build(builder);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessWorker(app, table);
    }

    public Task<WorkerStats> WaitForStatsAsync(Func<WorkerStats, bool> done, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(Stats), done, TimeSpan.FromSeconds(20), what);

    /// <summary>Waits until the worker stopped itself (a fatal error), with a deadline.</summary>
    public async Task WaitForSelfStopAsync(TimeSpan timeout)
    {
        var stopped = new TaskCompletionSource();
        using var registration = Stopping.Register(() => stopped.TrySetResult());
        await stopped.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(DynamoDbLocalFixture dynamo, string table)
    {
        using var client = dynamo.CreateClient();
        return [.. (await PostsTable.ScanAsync(client, table)).Select(post => new Dictionary<string, AttributeValue>(post.Item))];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
