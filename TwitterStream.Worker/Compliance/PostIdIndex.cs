using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Compliance;

/// <summary>A stretch of stored post ids and where the next stretch begins (null: none left).</summary>
internal sealed record PostIdChunk(IReadOnlyList<string> Ids, Dictionary<string, AttributeValue>? Next);

/// <summary>
/// The table's id index (<see cref="PostsTableSchema.IdIndexName"/>, keys only): read whole in stretches to list every
/// stored post id, and queried by id to find the items a compliance result names. Calls: Scan and Query on the index.
/// </summary>
internal sealed class PostIdIndex(IAmazonDynamoDB dynamoDb, WorkerOptions options)
{
    /// <summary>A scan page's item count: small enough to stop near the stretch's end, large enough for few requests.</summary>
    private const int PageLimit = 10_000;

    /// <summary>Up to <paramref name="size"/> ids from <paramref name="start"/> on, with the position after them.</summary>
    public async Task<PostIdChunk> ReadChunkAsync(Dictionary<string, AttributeValue>? start, int size, CancellationToken cancellationToken)
    {
        var ids = new List<string>(Math.Min(size, 1 << 20));
        var position = start;
        do
        {
            var page = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = options.TableName,
                IndexName = PostsTableSchema.IdIndexName,
                ProjectionExpression = "#id",
                ExpressionAttributeNames = new() { ["#id"] = PostsTableSchema.Id },
                ExclusiveStartKey = position,
                Limit = Math.Min(PageLimit, size - ids.Count),
            }, cancellationToken);
            foreach (var item in page.Items)
            {
                if (item.TryGetValue(PostsTableSchema.Id, out var id) && id.S is { Length: > 0 } text)
                {
                    ids.Add(text);
                }
            }

            position = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (position is not null && ids.Count < size);

        return new PostIdChunk(ids, position);
    }

    /// <summary>The keys of every item holding post <paramref name="id"/> (normally one).</summary>
    public async Task<IReadOnlyList<Dictionary<string, AttributeValue>>> FindAsync(string id, CancellationToken cancellationToken)
    {
        var keys = new List<Dictionary<string, AttributeValue>>(1);
        Dictionary<string, AttributeValue>? position = null;
        do
        {
            var page = await dynamoDb.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                IndexName = PostsTableSchema.IdIndexName,
                KeyConditionExpression = "#id = :id",
                ExpressionAttributeNames = new() { ["#id"] = PostsTableSchema.Id },
                ExpressionAttributeValues = new() { [":id"] = new AttributeValue(id) },
                ExclusiveStartKey = position,
            }, cancellationToken);
            foreach (var item in page.Items)
            {
                keys.Add(new Dictionary<string, AttributeValue>
                {
                    [PostsTableSchema.PartitionKey] = item[PostsTableSchema.PartitionKey],
                    [PostsTableSchema.SortKey] = item[PostsTableSchema.SortKey],
                });
            }

            position = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (position is not null);

        return keys;
    }
}
