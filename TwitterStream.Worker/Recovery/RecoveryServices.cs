namespace TwitterStream.Worker.Recovery;

/// <summary>Registers the watermark, the backfill tracker and the checkpoint.</summary>
internal static class RecoveryServices
{
    /// <summary>
    /// Call before the writer and the stream are added: hosted services stop in reverse order, and the checkpoint's
    /// last write must come after the writer drained the buffer.
    /// </summary>
    public static IServiceCollection AddRecovery(this IServiceCollection services)
    {
        services.AddSingleton<StoredWatermark>();
        services.AddSingleton<RecoveryTracker>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<CheckpointKeeper>();
        services.AddHostedService(provider => provider.GetRequiredService<CheckpointKeeper>());
        return services;
    }
}
