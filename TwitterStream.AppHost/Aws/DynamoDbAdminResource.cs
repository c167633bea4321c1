namespace Aspire.Hosting;

/// <summary>dynamodb-admin from npm, run with npx: a browser view of the emulator's tables.</summary>
public sealed class DynamoDbAdminResource(string name, string workingDirectory)
    : ExecutableResource(name, "npx", workingDirectory)
{
    public const string NpmPackage = "dynamodb-admin@5.3.3";

    /// <summary>Where its own server listens (its <c>HOST</c>; without one Node listens on every interface).</summary>
    public const string BindAddress = "127.0.0.1";
}

public static class DynamoDbAdminResourceExtensions
{
    /// <summary>
    /// Adds dynamodb-admin on <paramref name="port"/>, pointed at <paramref name="emulator"/>, and links each table's
    /// page from that table's resource in the dashboard (the table's URL, "Browse &lt;resource&gt;"). Its server
    /// listens on loopback only; the dashboard's link reaches it through Aspire's proxy, also on loopback.
    /// </summary>
    public static IResourceBuilder<DynamoDbAdminResource> AddDynamoDbAdmin(
        this IDistributedApplicationBuilder builder, string name, int port,
        IResourceBuilder<IAwsEmulatorResource> emulator, params IResourceBuilder<DynamoDbTableResource>[] tables)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(tables);
        var admin = builder.AddResource(new DynamoDbAdminResource(name, builder.AppHostDirectory))
            .WithArgs("--yes", DynamoDbAdminResource.NpmPackage)
            .WithHttpEndpoint(port: port, env: "PORT", name: "http")
            .WithEnvironment("HOST", DynamoDbAdminResource.BindAddress)
            .WithEnvironment("DYNAMO_ENDPOINT", emulator.Resource.DynamoDbEndpoint)
            .WithReference(emulator)
            .WithHttpHealthCheck("/")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Tables")
            .WithParentRelationship(emulator)
            .ExcludeFromManifest();

        // Aspire turns WithUrl into dashboard links only for resources DCP runs (it processes URLs when their endpoints
        // are allocated), and a table is not one: its link goes straight into its snapshot once this port is known.
        var endpoint = admin.GetEndpoint("http");
        admin.OnResourceEndpointsAllocated(async (_, allocated, _) =>
        {
            var notifications = allocated.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var table in tables)
            {
                var link = new UrlSnapshot(Name: null, Url: $"{endpoint.Url}/tables/{Uri.EscapeDataString(table.Resource.TableName)}", IsInternal: false)
                {
                    DisplayProperties = new($"Browse {table.Resource.Name}", 0),
                };
                await notifications.PublishUpdateAsync(table.Resource, s => s with { Urls = [.. s.Urls.Where(u => u.Url != link.Url), link] });
            }
        });

        return admin;
    }
}
