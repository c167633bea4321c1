using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every TwitterStream process shares: OpenTelemetry, log levels, health checks and service discovery.
/// </summary>
/// <remarks>
/// No HTTP resilience handler is added to every client, unlike Aspire's template: the worker's only client is the X API
/// client, whose stream is one endless response (the standard handler's 30 s total timeout would cut it every 30 s), and
/// whose calls follow X's own reconnect and retry schedule (<c>ReconnectPolicy</c>: 60 s and up after a 429, where the
/// handler would retry within seconds and spend the rate limit).
/// </remarks>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The prefix of the log categories of <c>IHttpClientFactory</c> clients.</summary>
    private const string HttpClientLogCategory = "System.Net.Http.HttpClient";

    /// <summary>The prefix of ASP.NET Core's categories (request start/finish, endpoint routing, results).</summary>
    private const string AspNetCoreLogCategory = "Microsoft.AspNetCore";

    /// <summary>The health check service's category: it logs every unhealthy probe result as an Error.</summary>
    private const string HealthCheckLogCategory = "Microsoft.Extensions.Diagnostics.HealthChecks";

    private const string LogLevelSection = "Logging:LogLevel:";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddSsmSecrets();
        builder.AddLogLevelDefaults();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Meters and activity sources of the calling application that OpenTelemetry should export.</summary>
    public static TBuilder AddTelemetrySources<TBuilder>(this TBuilder builder, string meterName, string activitySourceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(meterName))
            .WithTracing(tracing => tracing.AddSource(activitySourceName));
        return builder;
    }

    /// <summary>
    /// Framework request logs go to Warning: each health probe wrote 4 Information lines and each HttpClient request 4
    /// more, burying the application's own events. They are defaults under every other configuration source, so
    /// <c>Logging__LogLevel__Microsoft.AspNetCore=Information</c> (or appsettings) still turns them back on.
    /// Health check results are off: a worker that is still connecting answered every probe with an Error line, while
    /// its state is what the orchestrator (the Aspire dashboard, ECS) already shows and the worker logs its own reasons.
    /// </summary>
    public static TBuilder AddLogLevelDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                [LogLevelSection + AspNetCoreLogCategory] = nameof(LogLevel.Warning),
                [LogLevelSection + HttpClientLogCategory] = nameof(LogLevel.Warning),
                [LogLevelSection + HealthCheckLogCategory] = nameof(LogLevel.None),
            },
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // HttpClient's Trace events list the request and response headers: the message masks their values, but the
        // structured state carries them as they are (Authorization: Bearer …), and exporters and JSON formatters write
        // the state. Registered after the configuration's rules, these win over the configured level, so they keep it
        // but raise Trace to Debug.
        var httpClientLevel = Enum.TryParse<LogLevel>(builder.Configuration[LogLevelSection + HttpClientLogCategory], ignoreCase: true, out var configured)
            && configured > LogLevel.Debug
                ? configured
                : LogLevel.Debug;
        builder.Logging.AddFilter(HttpClientLogCategory, httpClientLevel);
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(HttpClientLogCategory, httpClientLevel);

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the traces that matter.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // The AppHost (or the deployment) sets the endpoint; without it nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check must pass) and <c>/alive</c> (only the liveness checks). They are mapped in every
    /// environment: the Fargate container health check and the AppHost's health check both read them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        });
        return app;
    }
}
