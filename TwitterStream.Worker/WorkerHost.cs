using Microsoft.Extensions.Options;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Worker;

/// <summary>Composes the worker: validated options, the X API client, the pipeline, the writer, health and telemetry.</summary>
public static class WorkerHost
{
    /// <summary>Under ECS's 30 s stop timeout, so the drain finishes before SIGKILL.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Validates the configuration and registers the worker; false with a one-line error when it is invalid.</summary>
    public static bool TryConfigure(WebApplicationBuilder builder, out string error)
    {
        // Checked here, before the host exists, so a bad value ends the process with one line and exit code 1.
        if (!WorkerOptionsReader.TryRead(builder.Configuration, out var options, out error))
        {
            return false;
        }

        builder.AddServiceDefaults();
        builder.AddTelemetrySources(WorkerTelemetry.Name, WorkerTelemetry.Name);

        var services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<WorkerOptions>().Configure(bound => WorkerOptionsReader.ReadInto(builder.Configuration, bound, [])).ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<WorkerOptions>>().Value);
        services.AddSingleton(TimeProvider.System);

        services.AddHttpClient<XApiClient>(XApiClient.HttpClientName, http =>
        {
            http.BaseAddress = options.XApiBaseUrl;
            http.Timeout = Timeout.InfiniteTimeSpan; // the stream is one endless response; calls have their own timeouts
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"TwitterStream.Worker/{typeof(WorkerHost).Assembly.GetName().Version}");
        });
        services.AddSingleton<BearerTokenSource>();
        services.AddSingleton<RuleSynchronizer>();
        services.AddSingleton<ReconnectPolicy>();
        services.AddSingleton<StreamBodyReader>();
        services.AddSingleton<WorkerExit>();

        services.AddSingleton(provider => new PostBuffer(provider.GetRequiredService<WorkerOptions>().BufferCapacity));
        services.AddSingleton<StreamLineParser>();
        services.AddSingleton(provider => new PostMatcher(provider.GetRequiredService<WorkerOptions>().RuleTag));
        services.AddSingleton<StreamLineProcessor>();

        services.AddSingleton(provider => DynamoDbClientFactory.Create(provider.GetRequiredService<WorkerOptions>()));
        services.AddSingleton(new RetryBackoff(Random.Shared));
        services.AddSingleton(provider => new PostItemPool(provider.GetRequiredService<WorkerOptions>().BufferCapacity));

        services.AddSingleton<WorkerHealthState>();
        services.AddSingleton<WorkerMetrics>();
        services.AddHealthChecks().AddCheck<WorkerHealthCheck>("worker");

        services.AddUsage();

        // Stopped in reverse order: the stream stops reading first, then the writer drains the buffer.
        services.AddHostedService<PostWriter>();
        services.AddHostedService<StreamService>();
        services.AddHostedService<SummaryReporter>();
        return true;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapStats();
        return app;
    }
}
