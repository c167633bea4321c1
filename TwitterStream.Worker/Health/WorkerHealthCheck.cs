using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TwitterStream.Worker.Health;

/// <summary>Unhealthy while the stream is disconnected or DynamoDB writes fail.</summary>
internal sealed class WorkerHealthCheck(WorkerHealthState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = (state.StreamConnected, state.WritesFailing) switch
        {
            (false, _) => HealthCheckResult.Unhealthy("The X stream is not connected."),
            (_, true) => HealthCheckResult.Unhealthy("DynamoDB writes are failing."),
            _ => HealthCheckResult.Healthy("Stream connected, writes succeeding."),
        };
        return Task.FromResult(result);
    }
}
