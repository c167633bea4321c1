using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// The reliability scenarios run one at a time (each drives real processes and some measure waits), sharing one
/// in-memory DynamoDB Local; each scenario makes its own table. Scenarios that restart the emulator start their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<SharedDynamoDbLocal>
{
    public const string Name = "Reliability";
}

public sealed class SharedDynamoDbLocal : IAsyncLifetime
{
    private DynamoDbLocalProcess? _process;

    public DynamoDbLocalProcess Process => _process ?? throw new InvalidOperationException("DynamoDB Local is not started.");

    public async ValueTask InitializeAsync() => _process = await DynamoDbLocalProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
