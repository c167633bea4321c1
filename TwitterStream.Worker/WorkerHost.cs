using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Storage;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker;

/// <summary>Composes the worker: validated options, the X API client, the pipeline, the writer, health and telemetry.</summary>
internal static class WorkerHost
{
    /// <summary>Under ECS's 30 s stop timeout, so the drain finishes before SIGKILL.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Registers the worker; its options are bound from configuration and validated when the host starts.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddTelemetrySources(WorkerTelemetry.Name, WorkerTelemetry.Name);

        var services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.AddWorkerOptions();
        services.AddSingleton(TimeProvider.System);

        services.AddHttpClient<XApiClient>(XApiClient.HttpClientName, (provider, http) =>
        {
            http.BaseAddress = provider.GetRequiredService<WorkerOptions>().XApiBaseUrl;
            http.Timeout = Timeout.InfiniteTimeSpan; // the stream is one endless response; calls have their own timeouts
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"TwitterStream.Worker/{typeof(WorkerHost).Assembly.GetName().Version}");
        });
        services.AddSingleton<BearerTokenSource>();
        services.AddSingleton<RuleSynchronizer>();
        services.AddSingleton<ReconnectPolicy>();
        services.AddSingleton<StreamBodyReader>();
        services.AddSingleton<WorkerExit>();

        services.AddSingleton(provider => new PostBuffer(provider.GetRequiredService<WorkerOptions>().BufferCapacity));
        services.AddSingleton(provider => provider.GetRequiredService<WorkerOptions>().PostFields);
        services.AddSingleton<StreamLineParser>();
        services.AddSingleton(provider => new PostMatcher(provider.GetRequiredService<WorkerOptions>().RuleTag));
        services.AddSingleton<StreamLineProcessor>();

        services.AddSingleton(provider => DynamoDbClientFactory.Create(provider.GetRequiredService<WorkerOptions>()));
        services.AddSingleton(new RetryBackoff(Random.Shared));
        services.AddSingleton(provider => new PostItemPool(provider.GetRequiredService<WorkerOptions>().BufferCapacity));

        services.AddSingleton<WorkerHealthState>();
        services.AddSingleton<WorkerMetrics>();
        services.AddHealthChecks().AddCheck<WorkerHealthCheck>("worker");

        // Before the others, so it stops last and its final document counts what the writer drained.
        services.AddCloudWatchMetrics(builder.Configuration);
        services.AddUsage();
        services.AddRecovery();

        // Stopped in reverse order: the stream stops reading first, then the writer drains the buffer.
        services.AddHostedService<PostWriter>();
        services.AddHostedService<StreamService>();
        services.AddHostedService<SummaryReporter>();
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapStats();
        return app;
    }
}
