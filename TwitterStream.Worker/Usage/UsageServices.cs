using TwitterStream.Contracts;

namespace TwitterStream.Worker.Usage;

/// <summary>Registers usage reading, the budget and the pause.</summary>
internal static class UsageServices
{
    /// <summary>Call before the writer and the stream are added: hosted services stop in reverse order, and the monitor's
    /// final write of the budget's count must come after the stream stopped reading.</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<XUsageClient>();
        services.AddSingleton<UsageReadings>();
        services.AddSingleton<StreamPause>();
        services.AddSingleton<BudgetStore>();
        services.AddSingleton<PostBudget>();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<UsageMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<UsageMonitor>());
        return services;
    }

    /// <summary>The <c>/stats</c> body with the usage part.</summary>
    public static WorkerStats WithUsage(this WorkerStats stats, UsageMetrics usage) => stats with { Usage = usage.Stats() };
}
