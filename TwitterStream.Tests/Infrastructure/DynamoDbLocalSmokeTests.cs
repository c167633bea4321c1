using Amazon.DynamoDBv2.Model;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Infrastructure;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbLocalSmokeTests(DynamoDbLocalFixture dynamo)
{
    [Fact]
    public async Task The_fetched_emulator_stores_and_scans_posts_table_items()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = dynamo.CreateClient();
        var name = $"smoke-{Guid.NewGuid():N}";
        await dynamo.CreatePostsTableAsync(name);
        await client.PutItemAsync(name, new Dictionary<string, AttributeValue>
        {
            ["user"] = new("catperson"),
            ["date"] = new("2024-01-15T10:35:00.000Z#1234567890"),
            ["text"] = new("Look at this cute cat! 🐈 猫"),
        }, ct);

        var stored = Assert.Single(await PostsTable.ScanAsync(client, name, ct));
        Assert.Equal("1234567890", stored.IdFromKey);
        Assert.Equal("Look at this cute cat! 🐈 猫", stored.Text);
    }
}
