namespace Aspire.Hosting;

/// <summary>The LocalStack container, serving DynamoDB, Secrets Manager and SSM on one endpoint.</summary>
public sealed class LocalStackResource(string name, string region) : ContainerResource(name), ISecretsManagerEmulatorResource
{
    public const string Registry = "docker.io";
    public const string Image = "localstack/localstack";

    /// <summary>The last tag that runs without an auth token; newer tags need <c>LOCALSTACK_AUTH_TOKEN</c>.</summary>
    public const string DefaultImageTag = "4.14.0";

    public const int DefaultDynamoDbPort = 4566;
    public const int ContainerPort = 4566;
    public const string Services = "dynamodb,secretsmanager,ssm";
    public const string HealthPath = "/_localstack/health";

    public EndpointReference DynamoDbEndpoint => new(this, IAwsEmulatorResource.EndpointName);

    public string Region { get; } = region;
}

public static class LocalStackResourceExtensions
{
    /// <summary>
    /// Adds LocalStack on a fixed host port with its health endpoint, and <paramref name="authToken"/> (when given) as
    /// <c>LOCALSTACK_AUTH_TOKEN</c>. Its secrets (<see cref="SecretsManagerEmulatorResourceExtensions.WithSecret{T}"/>)
    /// are seeded by the AppHost once it is healthy, as moto's are.
    /// </summary>
    public static IResourceBuilder<LocalStackResource> AddLocalStack(
        this IDistributedApplicationBuilder builder, string name, int port, string imageTag, string region,
        IResourceBuilder<ParameterResource>? authToken = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(imageTag);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var localStack = builder.AddResource(new LocalStackResource(name, region))
            .WithImage(LocalStackResource.Image, imageTag)
            .WithImageRegistry(LocalStackResource.Registry)
            .WithHttpEndpoint(port: port, targetPort: LocalStackResource.ContainerPort, name: IAwsEmulatorResource.EndpointName, isProxied: false)
            .WithEnvironment("SERVICES", LocalStackResource.Services)
            .WithHttpHealthCheck(LocalStackResource.HealthPath, endpointName: IAwsEmulatorResource.EndpointName)
            .WithSecretsSeededWhenReady()
            .ExcludeFromManifest();

        if (authToken is not null)
        {
            localStack.WithEnvironment("LOCALSTACK_AUTH_TOKEN", authToken);
        }

        return localStack;
    }
}
