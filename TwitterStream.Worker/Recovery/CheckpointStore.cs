using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Recovery;

/// <summary>
/// The durable stored-through time: one reserved item (partition <see cref="PostsTableSchema.ReservedPartitionKey"/>,
/// sort key <see cref="PostsTableSchema.CheckpointSortKey"/>) in the posts table, so it survives the task being
/// replaced without a table or stack resource of its own. Calls: GetItem and UpdateItem on the worker's table.
/// </summary>
internal sealed class CheckpointStore(IAmazonDynamoDB dynamoDb, WorkerOptions options, TimeProvider time)
{
    public async Task<DateTimeOffset?> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { } item
            && item.TryGetValue(PostsTableSchema.CheckpointStoredThrough, out var value)
            && PostsTableSchema.TryParseTimestamp(value.S, out var through)
                ? through
                : null;
    }

    public Task WriteAsync(DateTimeOffset storedThrough, CancellationToken cancellationToken) =>
        dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = Key(),
            UpdateExpression = "SET #through = :through, #updated = :updated",
            ExpressionAttributeNames = new()
            {
                ["#through"] = PostsTableSchema.CheckpointStoredThrough,
                ["#updated"] = PostsTableSchema.CheckpointUpdatedAt,
            },
            ExpressionAttributeValues = new()
            {
                [":through"] = new AttributeValue(PostsTableSchema.FormatTimestamp(storedThrough)),
                [":updated"] = new AttributeValue(PostsTableSchema.FormatTimestamp(time.GetUtcNow())),
            },
        }, cancellationToken);

    public static Dictionary<string, AttributeValue> Key() => new()
    {
        [PostsTableSchema.PartitionKey] = new AttributeValue(PostsTableSchema.ReservedPartitionKey),
        [PostsTableSchema.SortKey] = new AttributeValue(PostsTableSchema.CheckpointSortKey),
    };
}
