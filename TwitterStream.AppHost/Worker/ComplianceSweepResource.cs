using System.Globalization;
using TwitterStream.AppHost.XApi;
using TwitterStream.Contracts;

namespace TwitterStream.AppHost.Worker;

/// <summary>The local compliance sweep: the worker's <c>compliance-sweep</c> command as a resource started on demand.</summary>
public static class ComplianceSweepResource
{
    public const string Name = "compliance-sweep";

    /// <summary>The simulator completes a job in seconds; asking every second keeps a local sweep quick.</summary>
    public const int SimulatorPollSeconds = 1;

    /// <summary>
    /// Adds <see cref="Name"/>: the worker project run with <c>compliance-sweep</c> against the same table and X API,
    /// not started with the rest (the dashboard's Start runs one sweep; the resource then shows its exit code).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddComplianceSweep(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<DynamoDbTableResource> posts,
        IResourceBuilder<ProjectResource>? simulator,
        XCredentials credentials,
        IResourceBuilder<IAwsEmulatorResource>? emulator)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var sweep = builder.AddProject<Projects.TwitterStream_Worker>(Name)
            .WithArgs(WorkerVariables.ComplianceSweepCommand)
            .WithExplicitStart()
            .WithReference(posts)
            .WithXApi(simulator)
            .WithXCredentials(credentials, emulator);
        if (simulator is not null)
        {
            sweep.WithEnvironment(WorkerVariables.CompliancePollIntervalSeconds, SimulatorPollSeconds.ToString(CultureInfo.InvariantCulture));
        }

        return sweep;
    }
}
