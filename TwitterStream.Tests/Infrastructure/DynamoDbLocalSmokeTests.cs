using Amazon.DynamoDBv2.Model;

namespace TwitterStream.Tests.Infrastructure;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbLocalSmokeTests(DynamoDbLocalFixture dynamo)
{
    [Fact]
    public async Task The_fetched_emulator_creates_and_lists_a_table()
    {
        using var client = dynamo.CreateClient();
        var name = $"smoke-{Guid.NewGuid():N}";
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("user", "S"), new("date", "S")],
            KeySchema = [new("user", Amazon.DynamoDBv2.KeyType.HASH), new("date", Amazon.DynamoDBv2.KeyType.RANGE)],
        }, TestContext.Current.CancellationToken);

        var tables = await client.ListTablesAsync(new ListTablesRequest(), TestContext.Current.CancellationToken);
        Assert.Contains(name, tables.TableNames);
    }
}
