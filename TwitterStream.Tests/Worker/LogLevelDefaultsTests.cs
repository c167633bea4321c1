using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// ServiceDefaults' log levels: framework request logs (health probes through ASP.NET Core, each HttpClient request)
/// sit below Information unless configuration asks for them; the worker's own events and the host's start lines stay.
/// </summary>
public sealed class LogLevelDefaultsTests
{
    private const string HealthProbeRequest = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string EndpointRouting = "Microsoft.AspNetCore.Routing.EndpointMiddleware";
    private const string HttpClientRequest = "System.Net.Http.HttpClient.x-api.LogicalHandler";
    private const string HttpClientHeaders = "System.Net.Http.HttpClient.x-api.ClientHandler";
    private const string WorkerEvent = "TwitterStream.Worker.XApi.StreamService";
    private const string HostStart = "Microsoft.Hosting.Lifetime";
    private const string HealthCheckResult = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    [Fact]
    public void Framework_request_logs_are_below_information_and_the_workers_own_are_not()
    {
        using var app = Build([]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(HealthProbeRequest).IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger(EndpointRouting).IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger(HttpClientRequest).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(HealthProbeRequest).IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger(HttpClientRequest).IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger(WorkerEvent).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(HostStart).IsEnabled(LogLevel.Information));

        // An unhealthy probe result (a worker still connecting) is not an error of the worker's.
        Assert.False(loggers.CreateLogger(HealthCheckResult).IsEnabled(LogLevel.Error));
    }

    [Fact]
    public void Configuration_can_still_turn_request_logs_on_but_never_httpclient_trace()
    {
        using var app = Build(new()
        {
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger(HealthProbeRequest).IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger(HttpClientRequest).IsEnabled(LogLevel.Debug));
        // Trace events carry the request headers (Authorization) in their structured state.
        Assert.False(loggers.CreateLogger(HttpClientHeaders).IsEnabled(LogLevel.Trace));
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
