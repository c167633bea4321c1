namespace TwitterStream.Simulator.Posts;

/// <summary>
/// Builds the post source at start (after options validation), so a bad replay file stops the simulator with its
/// one-line error instead of failing the first stream connection.
/// </summary>
internal sealed class PostSourceWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<IPostSource>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
