using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace TwitterStream.Harness;

/// <summary>The walkthrough-compatible posts table (partition key <c>user</c>, sort key <c>date</c>) and reading it back.</summary>
public static class PostsTable
{
    public static async Task CreateAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default)
    {
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("user", ScalarAttributeType.S), new("date", ScalarAttributeType.S)],
            KeySchema = [new("user", KeyType.HASH), new("date", KeyType.RANGE)],
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
        item["user"].S,
        item["date"].S,
        item.TryGetValue("id", out var id) ? id.S : null,
        item.TryGetValue("text", out var text) ? text.S : null,
        item);

    /// <summary>The post id the sort key ends with (<c>created_at#id</c>).</summary>
    public string IdFromKey => Date[(Date.LastIndexOf('#') + 1)..];
}
