using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using TwitterStream.AppHost.Aws;

namespace TwitterStream.Tests.Infrastructure;

/// <summary>
/// AWS's DynamoDB Local, started with Java on a free loopback port for the tests that share it, and stopped after them.
/// </summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public AmazonDynamoDBClient CreateClient() => new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = ServiceUrl, AuthenticationRegion = "us-east-1" });

    /// <summary>A walkthrough-compatible posts table: partition key <c>user</c>, sort key <c>date</c>, both strings.</summary>
    public async Task CreatePostsTableAsync(string tableName)
    {
        using var client = CreateClient();
        await client.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new("user", ScalarAttributeType.S), new("date", ScalarAttributeType.S)],
            KeySchema = [new("user", KeyType.HASH), new("date", KeyType.RANGE)],
        });
    }

    public async ValueTask InitializeAsync()
    {
        await DynamoDbLocalDistribution.EnsureInstalledAsync();
        Port = FreeTcpPort();
        var start = new ProcessStartInfo("java")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DynamoDbLocalDistribution.InstallDirectory,
        };
        foreach (var arg in DynamoDbLocalDistribution.JavaArguments(Port))
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("java did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    private async Task WaitUntilListeningAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest());
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(100);
            }
        }
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
