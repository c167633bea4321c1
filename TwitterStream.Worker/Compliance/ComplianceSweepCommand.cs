using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Compliance;

/// <summary>
/// <c>TwitterStream.Worker compliance-sweep</c>: runs one compliance sweep (or resumes the one in progress) with the
/// worker's own settings and exits: 0 finished, 1 failed (nothing of the failed job deleted) or bad settings,
/// 3 another sweep holds the table. The same image runs it as an ECS scheduled task; no stream is opened.
/// </summary>
internal static class ComplianceSweepCommand
{
    public const string Argument = TwitterStream.Contracts.WorkerVariables.ComplianceSweepCommand;

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args[1..]);
        builder.AddServiceDefaults();
        builder.AddTelemetrySources(WorkerTelemetry.Name, WorkerTelemetry.Name);
        var services = builder.Services;
        services.AddWorkerOptions();
        services.PostConfigure<WorkerOptions>(options => options.ReadsStream = false);
        services.AddSingleton(TimeProvider.System);
        services.AddXApiClient();
        services.AddPostsTable();
        services.AddComplianceSweep(builder.Configuration);

        using var host = builder.Build();
        if (!WorkerOptionsRegistration.TryValidate(host.Services, out var error))
        {
            await Console.Error.WriteLineAsync($"Configuration error: {error}");
            return 1;
        }

        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        SweepExit exit;
        try
        {
            exit = await host.Services.GetRequiredService<ComplianceSweep>().RunAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGTERM (a Spot reclaim, a stopped task): the state holds the last step; the next run resumes there.
            host.Services.GetRequiredService<ILogger<ComplianceSweep>>().LogWarning(
                "Compliance sweep stopped before it finished; the next run resumes where it stood.");
            exit = SweepExit.Failed;
        }

        await host.StopAsync(); // flushes the telemetry exporters
        return (int)exit;
    }

    /// <summary>The sweep's services; its X and DynamoDB clients come from <see cref="WorkerHost"/>'s shared registrations.</summary>
    public static IServiceCollection AddComplianceSweep(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(XComplianceClient.StorageClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<XComplianceClient>();
        services.AddSingleton<SweepStateStore>();
        services.AddSingleton<PostIdIndex>();
        services.AddSingleton<ComplianceActions>();
        if (EmfServices.RunsOnEcs(configuration))
        {
            services.AddSingleton(new EmfOutput(Console.Out));
        }

        services.AddSingleton<ComplianceMetrics>();
        services.AddSingleton<ComplianceSweep>();
        return services;
    }
}
