using Amazon.DynamoDBv2;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Infrastructure;

/// <summary>AWS's DynamoDB Local on a free loopback port, shared by the tests of one collection and stopped after them.</summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    private DynamoDbLocalProcess? _dynamo;

    private DynamoDbLocalProcess Dynamo => _dynamo ?? throw new InvalidOperationException("DynamoDB Local has not started.");

    public int Port => Dynamo.Port;

    public string ServiceUrl => Dynamo.ServiceUrl.ToString();

    /// <summary>The variables a worker process needs to reach this emulator.</summary>
    public IReadOnlyDictionary<string, string?> SdkEnvironment => Dynamo.SdkEnvironment;

    public AmazonDynamoDBClient CreateClient() => Dynamo.CreateClient();

    public async Task CreatePostsTableAsync(string tableName)
    {
        using var client = CreateClient();
        await PostsTable.CreateAsync(client, tableName);
    }

    public async ValueTask InitializeAsync() => _dynamo = await DynamoDbLocalProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_dynamo is not null)
        {
            await _dynamo.DisposeAsync();
        }
    }
}
