using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Usage;

/// <summary>
/// The budget's durable count: one reserved item per billing cycle in the posts table (partition
/// <see cref="PostsTableSchema.ReservedPartitionKey"/>), so a restart or a new task continues the count and no new
/// table or stack resource is needed. Calls: GetItem and UpdateItem on the worker's table.
/// </summary>
internal sealed class BudgetStore(IAmazonDynamoDB dynamoDb, WorkerOptions options, TimeProvider time)
{
    private const string UpdatedAt = "updated_at";
    private const string CycleEnd = "cycle_end";

    public async Task<long> ReadAsync(BillingCycle cycle, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(cycle),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { } item && item.TryGetValue(PostsTableSchema.BudgetPosts, out var posts) && posts.N is { } n
            ? long.Parse(n, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Adds atomically (two tasks overlapping during a deployment both count) and returns the new total.</summary>
    public async Task<long> AddAsync(BillingCycle cycle, long posts, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = Key(cycle),
            UpdateExpression = "ADD #posts :posts SET #updated = :updated, #end = :end",
            ExpressionAttributeNames = new()
            {
                ["#posts"] = PostsTableSchema.BudgetPosts,
                ["#updated"] = UpdatedAt,
                ["#end"] = CycleEnd,
            },
            ExpressionAttributeValues = new()
            {
                [":posts"] = new AttributeValue { N = posts.ToString(CultureInfo.InvariantCulture) },
                [":updated"] = new AttributeValue(Timestamp(time.GetUtcNow())),
                [":end"] = new AttributeValue(Timestamp(cycle.End)),
            },
            ReturnValues = ReturnValue.UPDATED_NEW,
        }, cancellationToken);
        return long.Parse(response.Attributes[PostsTableSchema.BudgetPosts].N, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    public static Dictionary<string, AttributeValue> Key(BillingCycle cycle) => new()
    {
        [PostsTableSchema.PartitionKey] = new AttributeValue(PostsTableSchema.ReservedPartitionKey),
        [PostsTableSchema.SortKey] = new AttributeValue(PostsTableSchema.BudgetSortKey(cycle.Key)),
    };

    private static string Timestamp(DateTimeOffset at) => PostsTableSchema.FormatTimestamp(at);
}
