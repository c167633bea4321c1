using System.Globalization;

namespace Aspire.Hosting;

/// <summary>
/// moto's server mode (<c>moto_server</c>, Python, no container): DynamoDB, Secrets Manager and SSM, including
/// <c>/aws/reference/secretsmanager/…</c>, on one endpoint. <c>pip install "moto[server]"</c>.
/// </summary>
public sealed class MotoResource(string name, string region, string workingDirectory)
    : ExecutableResource(name, ExecutableName, workingDirectory), ISecretsManagerEmulatorResource
{
    public const string ExecutableName = "moto_server";

    /// <summary>LocalStack's port: both serve every AWS API on one endpoint, so the same <c>--endpoint-url</c> works with either.</summary>
    public const int DefaultPort = 4566;

    public const string BindAddress = "127.0.0.1";

    /// <summary>moto's own dashboard page: it answers once the server serves requests.</summary>
    public const string HealthPath = "/moto-api/";

    public EndpointReference DynamoDbEndpoint => new(this, IAwsEmulatorResource.EndpointName);

    public string Region { get; } = region;
}

public static class MotoResourceExtensions
{
    /// <summary>
    /// Adds <c>moto_server</c> listening on loopback <paramref name="port"/> itself (not behind a proxy), so that
    /// <c>aws … --endpoint-url http://localhost:PORT</c> reaches it; its secrets are seeded once it is healthy. Its state
    /// lives in memory: a restart starts empty.
    /// </summary>
    public static IResourceBuilder<MotoResource> AddMoto(
        this IDistributedApplicationBuilder builder, string name, int port, string region)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(region);
        return builder.AddResource(new MotoResource(name, region, builder.AppHostDirectory))
            .WithArgs("-H", MotoResource.BindAddress, "-p", port.ToString(CultureInfo.InvariantCulture))
            .WithHttpEndpoint(port: port, targetPort: port, name: IAwsEmulatorResource.EndpointName, isProxied: false)
            .WithHttpHealthCheck(MotoResource.HealthPath, endpointName: IAwsEmulatorResource.EndpointName)
            .WithSecretsSeededWhenReady()
            .ExcludeFromManifest();
    }
}
