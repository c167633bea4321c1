using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Compliance;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Tests.Worker;

/// <summary>Acting on compliance results against DynamoDB Local: found through the id index, deleted or scrubbed, each once.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class ComplianceActionsTests(DynamoDbLocalFixture dynamo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, AttributeValue> Item(string user, string id, string? raw = null)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [PostsTableSchema.PartitionKey] = new(user),
            [PostsTableSchema.SortKey] = new(PostsTableSchema.SortKeyOf("2026-12-01T10:00:00.000Z", id)),
            [PostsTableSchema.Id] = new(id),
            [PostsTableSchema.Text] = new($"post {id}"),
        };
        if (raw is not null)
        {
            item[PostsTableSchema.Raw] = new(raw);
        }

        return item;
    }

    [Fact]
    public async Task Deletes_every_item_of_a_named_post_scrubs_only_the_stored_line_for_a_geo_scrub_and_counts_each_once()
    {
        var table = $"posts-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(table);
        using var client = dynamo.CreateClient();
        // Post 1 stored twice (once under its author id, before includes arrived), post 2 with its line, 3 and 4 plain.
        foreach (var item in new[] { Item("alice", "1"), Item("42", "1"), Item("bob", "2", raw: """{"data":{"id":"2","geo":{"place_id":"x"}}}"""), Item("carol", "3"), Item("dave", "4") })
        {
            await client.PutItemAsync(table, item, Ct);
        }

        var options = new WorkerOptions { TableName = table };
        var actions = new ComplianceActions(client, new PostIdIndex(client, options), options);
        ComplianceResult[] results =
        [
            new("1", XCompliance.DeleteAction, "deleted"),
            new("2", "scrub_geo", XCompliance.ScrubGeoReason),
            new("4", "scrub_geo", XCompliance.ScrubGeoReason), // nothing stored that holds a location
            new("999", XCompliance.DeleteAction, "suspended"), // never stored
        ];

        var outcome = await actions.ApplyAsync(results, Ct);
        var again = await actions.ApplyAsync(results, Ct);

        Assert.Equal(new Dictionary<string, long> { ["deleted"] = 2 }, outcome.DeletedByReason);
        Assert.Equal(new Dictionary<string, long> { [XCompliance.ScrubGeoReason] = 1 }, outcome.ModifiedByReason);
        Assert.Equal((0, 0), (again.Deleted, again.Modified));
        var left = (await client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true }, Ct)).Items
            .ToDictionary(i => i[PostsTableSchema.Id].S);
        Assert.Equal(["2", "3", "4"], left.Keys.Order(StringComparer.Ordinal));
        Assert.False(left["2"].ContainsKey(PostsTableSchema.Raw));
        Assert.Equal("post 2", left["2"][PostsTableSchema.Text].S);
    }
}
