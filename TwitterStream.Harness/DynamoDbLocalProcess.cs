using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using TwitterStream.Contracts;
using TwitterStream.LocalTools;

namespace TwitterStream.Harness;

/// <summary>AWS's DynamoDB Local run with Java on a loopback port, in memory or on a data folder that survives a restart.</summary>
public sealed class DynamoDbLocalProcess : IAsyncDisposable
{
    private DynamoDbLocalProcess(ManagedProcess process, int port, string? dataDirectory)
    {
        Process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public ManagedProcess Process { get; }

    public int Port { get; }

    public string? DataDirectory { get; }

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>The local credentials (<see cref="LocalAwsCredentials"/>): DynamoDB Local accepts any, the SDK only needs some.</summary>
    public static BasicAWSCredentials Credentials { get; } = new(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey);

    public static async Task<DynamoDbLocalProcess> StartAsync(int? port = null, string? dataDirectory = null, CancellationToken cancellationToken = default)
    {
        await DynamoDbLocalDistribution.EnsureInstalledAsync(cancellationToken);
        var chosenPort = port ?? LocalPorts.Free();
        var process = ManagedProcess.Start(
            "DynamoDB Local",
            "java",
            DynamoDbLocalDistribution.JavaArguments(chosenPort, dataDirectory),
            workingDirectory: DynamoDbLocalDistribution.InstallDirectory);
        var local = new DynamoDbLocalProcess(process, chosenPort, dataDirectory);
        try
        {
            using var client = local.CreateClient();
            await Readiness.WaitUntilAsync(process, async () =>
            {
                await client.ListTablesAsync(new ListTablesRequest(), cancellationToken);
                return true;
            }, TimeSpan.FromSeconds(60), "answer ListTables", cancellationToken);
            return local;
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a new DynamoDB Local on the same port and data folder, as after an outage.</summary>
    public Task<DynamoDbLocalProcess> RestartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(Port, DataDirectory, cancellationToken);

    public AmazonDynamoDBClient CreateClient() => CreateClient(ServiceUrl);

    /// <summary>A client reaching this emulator through <paramref name="serviceUrl"/>, e.g. a proxy in front of it.</summary>
    public static AmazonDynamoDBClient CreateClient(Uri serviceUrl) => new(
        Credentials,
        new AmazonDynamoDBConfig { ServiceURL = serviceUrl.ToString(), AuthenticationRegion = LocalAwsCredentials.Region, MaxErrorRetry = 2 });

    /// <summary>The environment a process needs to reach this emulator through the AWS SDK's standard variables.</summary>
    public IReadOnlyDictionary<string, string?> SdkEnvironment => new Dictionary<string, string?>
    {
        [WorkerVariables.DynamoDbEndpoint] = ServiceUrl.ToString(),
        [WorkerVariables.SdkRegion] = LocalAwsCredentials.Region,
        [WorkerVariables.AccessKeyId] = LocalAwsCredentials.AccessKeyId,
        [WorkerVariables.SecretAccessKey] = LocalAwsCredentials.SecretAccessKey,
    };

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
