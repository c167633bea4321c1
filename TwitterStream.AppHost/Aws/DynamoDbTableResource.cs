using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwitterStream.AppHost.Manifest;

namespace TwitterStream.AppHost.Aws;

/// <summary>
/// The posts table: one definition for the emulator (created with the AWS SDK before the worker starts) and for the
/// manifest (<c>aws.dynamodb.table.v0</c>, from which the deploy tool writes the CloudFormation table).
/// </summary>
public sealed class DynamoDbTableResource(string name, string tableName) : Resource(name), IResourceWithWaitSupport
{
    public const string ManifestType = "aws.dynamodb.table.v0";
    public const string PartitionKey = "user";
    public const string SortKey = "date";

    public string TableName { get; } = tableName;

    public BillingMode BillingMode { get; } = BillingMode.PAY_PER_REQUEST;

    public bool PointInTimeRecovery { get; } = true;

    public IReadOnlyList<AttributeDefinition> AttributeDefinitions { get; } =
        [new(PartitionKey, ScalarAttributeType.S), new(SortKey, ScalarAttributeType.S)];

    public IReadOnlyList<KeySchemaElement> KeySchema { get; } =
        [new(PartitionKey, KeyType.HASH), new(SortKey, KeyType.RANGE)];

    /// <summary>The table name as a value in run mode and as <c>{name.tableName}</c> in the manifest.</summary>
    public ResourcePropertyReference TableNameReference => new(this, "tableName", TableName);

    public CreateTableRequest CreateTableRequest() => new()
    {
        TableName = TableName,
        BillingMode = BillingMode,
        AttributeDefinitions = [.. AttributeDefinitions],
        KeySchema = [.. KeySchema],
    };
}

public static class DynamoDbTableResourceExtensions
{
    public const string ResourceType = "DynamoDBTable";

    /// <summary>Adds the table to the model; it is created only once an emulator is attached with <see cref="WithEmulator"/>.</summary>
    public static IResourceBuilder<DynamoDbTableResource> AddDynamoDbTable(
        this IDistributedApplicationBuilder builder, string name, string tableName)
    {
        var table = new DynamoDbTableResource(name, tableName);
        return builder.AddResource(table)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = ResourceType,
                State = KnownResourceStates.NotStarted,
                Properties = [new("table.name", tableName)],
            })
            .WithManifestPublishingCallback(context => WriteManifest(context.Writer, table));
    }

    /// <summary>
    /// Creates the table in <paramref name="emulator"/> once that is healthy (keeping an existing one), then reports
    /// the table running; healthy while the emulator describes it as ACTIVE.
    /// </summary>
    public static IResourceBuilder<DynamoDbTableResource> WithEmulator(
        this IResourceBuilder<DynamoDbTableResource> table, IResourceBuilder<IAwsEmulatorResource> emulator, string region)
    {
        var healthCheckKey = $"{table.Resource.Name}-active";
        table.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, async cancellationToken =>
        {
            using var client = LocalAws.DynamoDb(emulator.Resource.DynamoDbEndpoint.Url, region);
            var description = await client.DescribeTableAsync(table.Resource.TableName, cancellationToken);
            return description.Table.TableStatus == TableStatus.ACTIVE
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"table {table.Resource.TableName} is {description.Table.TableStatus}");
        });

        return table
            .WaitFor(emulator)
            .WithHealthCheck(healthCheckKey)
            .WithParentRelationship(emulator)
            .OnInitializeResource(async (resource, initialize, cancellationToken) =>
            {
                var logger = initialize.Logger;
                try
                {
                    await initialize.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Waiting });
                    await initialize.Notifications.WaitForDependenciesAsync(resource, cancellationToken);
                    await initialize.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting });

                    var endpoint = emulator.Resource.DynamoDbEndpoint.Url;
                    using var client = LocalAws.DynamoDb(endpoint, region);
                    await EnsureTableAsync(client, resource, logger, cancellationToken);
                    await initialize.Notifications.PublishUpdateAsync(resource, s => s with
                    {
                        State = KnownResourceStates.Running,
                        StartTimeStamp = DateTime.UtcNow,
                        Properties = [.. s.Properties, new("table.endpoint", endpoint)],
                    });
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The AppHost is stopping.
                }
                catch (Exception exception)
                {
                    logger.LogError("Could not create table {Table}: {Error}", resource.TableName, exception.Message);
                    await initialize.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
                }
            });
    }

    private static async Task EnsureTableAsync(
        IAmazonDynamoDB client, DynamoDbTableResource table, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTableAsync(table.CreateTableRequest(), cancellationToken);
            logger.LogInformation("Created table {Table} (keys {PartitionKey} + {SortKey}).",
                table.TableName, DynamoDbTableResource.PartitionKey, DynamoDbTableResource.SortKey);
        }
        catch (ResourceInUseException)
        {
            logger.LogInformation("Table {Table} already exists; keeping its items.", table.TableName);
        }
    }

    private static void WriteManifest(System.Text.Json.Utf8JsonWriter writer, DynamoDbTableResource table)
    {
        writer.WriteString("type", DynamoDbTableResource.ManifestType);
        writer.WriteString("tableName", table.TableName);
        writer.WriteString("billingMode", table.BillingMode.Value);
        writer.WriteBoolean("pointInTimeRecovery", table.PointInTimeRecovery);
        WritePairs(writer, "attributeDefinitions", "type", table.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)));
        WritePairs(writer, "keySchema", "keyType", table.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
    }

    /// <summary>An array of <c>{"name": …, "&lt;valueProperty&gt;": …}</c> objects, the shape of both key lists in the manifest.</summary>
    private static void WritePairs(System.Text.Json.Utf8JsonWriter writer, string arrayName, string valueProperty, IEnumerable<(string Name, string Value)> items)
    {
        writer.WriteStartArray(arrayName);
        foreach (var (name, value) in items)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString(valueProperty, value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
