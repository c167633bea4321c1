using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TwitterStream.Contracts;
using Schema = TwitterStream.Contracts.ManifestSchema.Table;

namespace Aspire.Hosting;

/// <summary>
/// The posts table (<see cref="PostsTableSchema"/>): one definition for the emulator (created with the AWS SDK before
/// its consumers start) and for the manifest (<c>aws.dynamodb.table.v0</c>, from which the deploy tool writes the
/// CloudFormation table).
/// </summary>
public sealed class DynamoDbTableResource(string name, string tableName) : Resource(name), IResourceWithWaitSupport
{
    public string TableName { get; } = tableName;

    public BillingMode BillingMode { get; } = BillingMode.PAY_PER_REQUEST;

    public bool PointInTimeRecovery { get; } = true;

    public IReadOnlyList<AttributeDefinition> AttributeDefinitions { get; } =
    [
        new(PostsTableSchema.PartitionKey, ScalarAttributeType.FindValue(PostsTableSchema.KeyAttributeType)),
        new(PostsTableSchema.SortKey, ScalarAttributeType.FindValue(PostsTableSchema.KeyAttributeType)),
        new(PostsTableSchema.Id, ScalarAttributeType.FindValue(PostsTableSchema.KeyAttributeType)),
    ];

    public IReadOnlyList<KeySchemaElement> KeySchema { get; } =
        [new(PostsTableSchema.PartitionKey, KeyType.HASH), new(PostsTableSchema.SortKey, KeyType.RANGE)];

    /// <summary>The id index: compliance names posts by id, the table's keys are username + date.</summary>
    public IReadOnlyList<GlobalSecondaryIndex> GlobalSecondaryIndexes { get; } =
    [
        new()
        {
            IndexName = PostsTableSchema.IdIndexName,
            KeySchema = [new(PostsTableSchema.Id, KeyType.HASH)],
            Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
        },
    ];

    /// <summary>The attribute DynamoDB's TTL reads (<see cref="DynamoDbTableResourceExtensions.WithTimeToLive"/>); null: no TTL.</summary>
    public string? TimeToLiveAttribute { get; internal set; }

    /// <summary>The emulator the table is created in when run locally; none in the manifest.</summary>
    public IResourceBuilder<IAwsEmulatorResource>? Emulator { get; internal set; }

    /// <summary>The table name as a value in run mode and as <c>{name.tableName}</c> in the manifest.</summary>
    public ResourcePropertyReference TableNameReference => new(this, Schema.TableName, TableName);

    public CreateTableRequest CreateTableRequest() => new()
    {
        TableName = TableName,
        BillingMode = BillingMode,
        AttributeDefinitions = [.. AttributeDefinitions],
        KeySchema = [.. KeySchema],
        GlobalSecondaryIndexes = [.. GlobalSecondaryIndexes],
    };

    /// <summary>The table's manifest entry, which the deploy tool reads back through <see cref="ManifestSchema.Table"/>.</summary>
    public void WriteToManifest(ManifestPublishingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = context.Writer;
        writer.WriteString("type", Schema.Type);
        writer.WriteString(Schema.TableName, TableName);
        writer.WriteString(Schema.BillingMode, BillingMode.Value);
        writer.WriteBoolean(Schema.PointInTimeRecovery, PointInTimeRecovery);
        WritePairs(writer, Schema.AttributeDefinitions, Schema.AttributeType, AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)));
        WritePairs(writer, Schema.KeySchema, Schema.KeyType, KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        writer.WriteStartArray(Schema.GlobalSecondaryIndexes);
        foreach (var index in GlobalSecondaryIndexes)
        {
            writer.WriteStartObject();
            writer.WriteString(Schema.IndexName, index.IndexName);
            WritePairs(writer, Schema.KeySchema, Schema.KeyType, index.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
            writer.WriteString(Schema.ProjectionType, index.Projection.ProjectionType.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (TimeToLiveAttribute is { } ttl)
        {
            writer.WriteString(Schema.TimeToLiveAttribute, ttl);
        }
    }

    /// <summary>An array of <c>{"name": …, "&lt;valueProperty&gt;": …}</c> objects, the shape of both key lists in the manifest.</summary>
    private static void WritePairs(Utf8JsonWriter writer, string arrayName, string valueProperty, IEnumerable<(string Name, string Value)> items)
    {
        writer.WriteStartArray(arrayName);
        foreach (var (name, value) in items)
        {
            writer.WriteStartObject();
            writer.WriteString(Schema.EntryName, name);
            writer.WriteString(valueProperty, value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

public static class DynamoDbTableResourceExtensions
{
    public const string ResourceType = "DynamoDBTable";

    /// <summary>Adds the table to the model; it is created only once an emulator is attached with <see cref="WithEmulator"/>.</summary>
    public static IResourceBuilder<DynamoDbTableResource> AddDynamoDbTable(
        this IDistributedApplicationBuilder builder, string name, string tableName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        var table = new DynamoDbTableResource(name, tableName);
        return builder.AddResource(table)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = ResourceType,
                State = KnownResourceStates.NotStarted,
                Properties = [new("table.name", tableName)],
            })
            .WithManifestPublishingCallback(table.WriteToManifest);
    }

    /// <summary>Turns on DynamoDB's TTL on <paramref name="attribute"/> (a number of epoch seconds): items past it are deleted.</summary>
    public static IResourceBuilder<DynamoDbTableResource> WithTimeToLive(this IResourceBuilder<DynamoDbTableResource> table, string attribute)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        table.Resource.TimeToLiveAttribute = attribute;
        return table;
    }

    /// <summary>
    /// Creates the table in <paramref name="emulator"/> once that is healthy (keeping an existing one), then reports
    /// the table running; healthy while the emulator describes it as ACTIVE.
    /// </summary>
    public static IResourceBuilder<DynamoDbTableResource> WithEmulator(
        this IResourceBuilder<DynamoDbTableResource> table, IResourceBuilder<IAwsEmulatorResource> emulator)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(emulator);
        table.Resource.Emulator = emulator;
        var healthCheckKey = $"{table.Resource.Name}-active";
        table.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, async cancellationToken =>
        {
            using var client = emulator.Resource.CreateDynamoDbClient();
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

                    using var client = emulator.Resource.CreateDynamoDbClient();
                    await EnsureTableAsync(client, resource, logger, cancellationToken);
                    await initialize.Notifications.PublishUpdateAsync(resource, s => s with
                    {
                        State = KnownResourceStates.Running,
                        StartTimeStamp = DateTime.UtcNow,
                        Properties = [.. s.Properties, new("table.endpoint", emulator.Resource.DynamoDbEndpoint.Url)],
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

    /// <summary>
    /// Gives <paramref name="builder"/> the table: its name in <paramref name="tableNameVariable"/> (the worker's
    /// <see cref="WorkerVariables.Table"/> unless told otherwise) and, when the table lives in an emulator, the AWS
    /// SDK's standard variables for it; the consumer starts only once the table exists.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<DynamoDbTableResource> table, string tableNameVariable = WorkerVariables.Table)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(tableNameVariable);
        builder.WithEnvironment(tableNameVariable, table.Resource.TableNameReference);
        if (table.Resource.Emulator is { } emulator)
        {
            builder.WithReference(emulator);
        }

        return builder.WaitFor(table);
    }

    private static async Task EnsureTableAsync(
        IAmazonDynamoDB client, DynamoDbTableResource table, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTableAsync(table.CreateTableRequest(), cancellationToken);
            logger.LogInformation("Created table {Table} (keys {PartitionKey} + {SortKey}).",
                table.TableName, PostsTableSchema.PartitionKey, PostsTableSchema.SortKey);
        }
        catch (ResourceInUseException)
        {
            logger.LogInformation("Table {Table} already exists; keeping its items.", table.TableName);
        }

        if (table.TimeToLiveAttribute is { } ttl)
        {
            try
            {
                await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
                {
                    TableName = table.TableName,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ttl, Enabled = true },
                }, cancellationToken);
                logger.LogInformation("Table {Table}: TTL on {Attribute}.", table.TableName, ttl);
            }
            catch (AmazonDynamoDBException exception) when (exception.Message.Contains("already enabled", StringComparison.OrdinalIgnoreCase))
            {
                // An existing table kept from an earlier run.
            }
        }
    }
}
