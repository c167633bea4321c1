using System.IO.Compression;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>One post DynamoDB refused for good, as the worker kept it: its key, the reason, and the item as DynamoDB JSON.</summary>
public sealed record DeadLetterRecord(string PostUser, string PostDate, string Reason, int Parts, JsonElement Item)
{
    /// <summary>A string attribute of the refused item (<c>{"S": …}</c>), or null.</summary>
    public string? String(string attribute) =>
        Item.TryGetProperty(attribute, out var value) && value.TryGetProperty("S", out var text) ? text.GetString() : null;
}

/// <summary>Reads the dead-letter items (<see cref="DeadLetterSchema"/>) back, joining each post's parts.</summary>
public static class DeadLetters
{
    public static async Task<IReadOnlyList<DeadLetterRecord>> ReadAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = tableName,
                KeyConditionExpression = "#u = :reserved AND begins_with(#d, :prefix)",
                ExpressionAttributeNames = new() { ["#u"] = PostsTableSchema.PartitionKey, ["#d"] = PostsTableSchema.SortKey },
                ExpressionAttributeValues = new()
                {
                    [":reserved"] = new(PostsTableSchema.ReservedPartitionKey),
                    [":prefix"] = new(DeadLetterSchema.SortKeyPrefix),
                },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken);
            items.AddRange(page.Items);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        // Sorted by sort key, so each post's parts come together and in order.
        var records = new List<DeadLetterRecord>();
        foreach (var post in items.GroupBy(item => (item[DeadLetterSchema.PostUser].S, item[DeadLetterSchema.PostDate].S)))
        {
            var parts = post.ToList();
            using var joined = new MemoryStream();
            foreach (var part in parts)
            {
                part[DeadLetterSchema.Item].B.WriteTo(joined);
            }

            joined.Position = 0;
            using var gzip = new GZipStream(joined, CompressionMode.Decompress);
            using var json = await JsonDocument.ParseAsync(gzip, cancellationToken: cancellationToken);
            var first = parts[0];
            records.Add(new DeadLetterRecord(
                first[DeadLetterSchema.PostUser].S,
                first[DeadLetterSchema.PostDate].S,
                first[DeadLetterSchema.Reason].S,
                int.Parse(first[DeadLetterSchema.Parts].N, System.Globalization.CultureInfo.InvariantCulture),
                json.RootElement.Clone()));
        }

        return records;
    }
}
