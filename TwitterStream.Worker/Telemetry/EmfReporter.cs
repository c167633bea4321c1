using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.Telemetry;

/// <summary>Where EMF documents go: stdout, which the awslogs driver sends to the task's log group.</summary>
internal sealed class EmfOutput(TextWriter writer)
{
    public void WriteLine(string document) => writer.WriteLine(document);
}

/// <summary>
/// On ECS, writes the worker's metrics as one EMF document every METRICS_INTERVAL_SECONDS, and a last one for the
/// rest of the interval when the worker stops.
/// </summary>
internal sealed class EmfReporter(
    WorkerMetrics metrics, UsageMetrics usage, WorkerOptions options, TimeProvider time, EmfOutput output, RecoveryTracker? recovery = null)
    : PeriodicReporter(options.MetricsInterval, time)
{
    private readonly Lock _lock = new();
    private WorkerStats? _previous;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _previous = Current();
        }

        return base.StartAsync(cancellationToken);
    }

    protected override void Report()
    {
        lock (_lock)
        {
            var current = Current();
            output.WriteLine(EmfDocument.Write(EmfDocument.Metrics(current, _previous ?? current), Time.GetUtcNow(), options.DeploymentName));
            _previous = current;
        }
    }

    private WorkerStats Current()
    {
        var stats = metrics.Snapshot().WithUsage(usage);
        return recovery is null ? stats : stats.WithRecovery(recovery);
    }
}

internal static class EmfServices
{
    /// <summary>
    /// On ECS only (ECS sets ECS_CONTAINER_METADATA_URI_V4 in every container): locally the Aspire dashboard shows the
    /// OpenTelemetry metrics, and JSON lines among the console logs would only be noise.
    /// </summary>
    public static IServiceCollection AddCloudWatchMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[WorkerVariables.EcsContainerMetadataUri]))
        {
            return services;
        }

        services.AddSingleton(new EmfOutput(Console.Out));
        services.AddHostedService<EmfReporter>();
        return services;
    }
}
