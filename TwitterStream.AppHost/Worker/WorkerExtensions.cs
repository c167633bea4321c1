using TwitterStream.AppHost.Aws;
using TwitterStream.AppHost.Stream;

namespace TwitterStream.AppHost.Worker;

/// <summary>The worker's configuration, wired from the resources it depends on (names as the worker reads them).</summary>
public static class WorkerExtensions
{
    public const string XApiBaseUrl = "https://api.x.com";

    /// <summary>Where the stream comes from (the simulator when given, else X) and which posts to keep.</summary>
    public static IResourceBuilder<ProjectResource> WithXStream(
        this IResourceBuilder<ProjectResource> worker, IResourceBuilder<ProjectResource>? simulator,
        IResourceBuilder<ParameterResource> filter, string ruleTag)
    {
        worker.WithEnvironment("FILTER", filter).WithEnvironment("RULE_TAG", ruleTag);
        return simulator is null
            ? worker.WithEnvironment("X_API_BASE_URL", XApiBaseUrl)
            : worker.WithEnvironment("X_API_BASE_URL", simulator.GetEndpoint("http")).WaitFor(simulator);
    }

    /// <summary>
    /// The X credentials: with LocalStack read back from its Secrets Manager as the ECS agent would deliver them,
    /// otherwise straight from the parameters (in the manifest they stay secret parameter references).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithXCredentials(
        this IResourceBuilder<ProjectResource> worker, XCredentials credentials,
        IResourceBuilder<IAwsEmulatorResource>? emulator, string region)
    {
        foreach (var credential in credentials.All)
        {
            if (emulator is IResourceBuilder<LocalStackResource> localStack)
            {
                worker.WithEnvironmentFromSecret(credential.WorkerVariable, localStack, credential.SecretName, region);
            }
            else
            {
                worker.WithEnvironment(credential.WorkerVariable, credential.Parameter);
            }
        }

        return worker;
    }

    /// <summary>The table the worker writes to; it starts only once the table exists.</summary>
    public static IResourceBuilder<ProjectResource> WithTable(
        this IResourceBuilder<ProjectResource> worker, IResourceBuilder<DynamoDbTableResource> table) => worker
        .WithEnvironment("DYNAMODBTABLE", table.Resource.TableNameReference)
        .WaitFor(table);
}
