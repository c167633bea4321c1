using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>The posts table as <see cref="PostsTableSchema"/> defines it (with the id index, as the AppHost creates it), and reading it back.</summary>
public static class PostsTable
{
    public static async Task CreateAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default)
    {
        var keyType = new ScalarAttributeType(PostsTableSchema.KeyAttributeType);
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new(PostsTableSchema.PartitionKey, keyType), new(PostsTableSchema.SortKey, keyType), new(PostsTableSchema.Id, keyType)],
            KeySchema = [new(PostsTableSchema.PartitionKey, KeyType.HASH), new(PostsTableSchema.SortKey, KeyType.RANGE)],
            GlobalSecondaryIndexes =
            [
                new()
                {
                    IndexName = PostsTableSchema.IdIndexName,
                    KeySchema = [new(PostsTableSchema.Id, KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
        }, cancellationToken);
    }

    /// <summary>Every post in the table, read with a parallel scan (the worker's own bookkeeping items left out).</summary>
    public static async Task<IReadOnlyList<StoredPost>> ScanAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default)
    {
        const int segments = 4;
        var parts = await Task.WhenAll(Enumerable.Range(0, segments).Select(async segment =>
        {
            var posts = new List<StoredPost>();
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await client.ScanAsync(new ScanRequest
                {
                    TableName = tableName,
                    Segment = segment,
                    TotalSegments = segments,
                    ExclusiveStartKey = start,
                }, cancellationToken);
                posts.AddRange(page.Items
                    .Where(item => item["user"].S != TwitterStream.Contracts.PostsTableSchema.ReservedPartitionKey)
                    .Select(StoredPost.From));
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (start is not null);
            return posts;
        }));
        return [.. parts.SelectMany(p => p)];
    }
}

/// <summary>One item as the worker stored it.</summary>
public sealed record StoredPost(string User, string Date, string? Id, string? Text, IReadOnlyDictionary<string, AttributeValue> Item)
{
    public static StoredPost From(Dictionary<string, AttributeValue> item) => new(
        item[PostsTableSchema.PartitionKey].S,
        item[PostsTableSchema.SortKey].S,
        item.TryGetValue(PostsTableSchema.Id, out var id) ? id.S : null,
        item.TryGetValue(PostsTableSchema.Text, out var text) ? text.S : null,
        item);

    /// <summary>The post id the sort key ends with (<c>created_at#id</c>).</summary>
    public string IdFromKey => PostsTableSchema.IdOf(Date);
}
