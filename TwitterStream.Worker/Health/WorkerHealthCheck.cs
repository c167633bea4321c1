using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.Health;

/// <summary>
/// Unhealthy while the stream is disconnected or DynamoDB writes fail. A pause (budget spent, X's usage cap) is
/// healthy: the worker is disconnected on purpose, and ECS replacing it would only start the same pause again.
/// </summary>
internal sealed class WorkerHealthCheck(WorkerHealthState state, StreamPause pause) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = (state.StreamConnected, state.WritesFailing) switch
        {
            (false, false) when pause.Current is { } paused =>
                HealthCheckResult.Healthy($"Paused ({paused.Name}) until {paused.Until:u}; reconnects by itself then."),
            (false, _) => HealthCheckResult.Unhealthy("The X stream is not connected."),
            (_, true) => HealthCheckResult.Unhealthy("DynamoDB writes are failing."),
            _ => HealthCheckResult.Healthy("Stream connected, writes succeeding."),
        };
        return Task.FromResult(result);
    }
}
