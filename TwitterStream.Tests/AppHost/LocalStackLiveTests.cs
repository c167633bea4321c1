using Amazon.DynamoDBv2;
using Aspire.Hosting.ApplicationModel;
using Testcontainers.LocalStack;
using Aspire.Hosting;
using TwitterStream.AppHost;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The LocalStack the AppHost runs (same image tag and services), started with Testcontainers: secrets seeded as the
/// AppHost seeds them and read back by the worker itself through SSM, the table created as the AppHost creates it, and the worker
/// (given those credentials) storing the simulator's posts in it.
/// </summary>
public sealed class LocalStackLiveTests
{
    private const string Region = LocalAwsCredentials.Region;

    [Fact]
    public async Task Secrets_seeded_as_the_AppHost_seeds_them_read_back_through_SSM_by_the_worker_which_stores_every_post()
    {
        var runtime = new MachineToolProbes("docker").ContainerRuntime();
        Assert.SkipUnless(runtime.Answers, $"LocalStack needs a container runtime: {runtime.Description}");
        var ct = TestContext.Current.CancellationToken;

        var values = new Dictionary<string, string>
        {
            ["twitterstream/consumer-key"] = $"key-{Guid.NewGuid():N}",
            ["twitterstream/consumer-secret"] = $"secret-{Guid.NewGuid():N} with spaces & 'quotes'",
        };

        await using var localStack = new LocalStackBuilder($"{LocalStackResource.Image}:{LocalStackResource.DefaultImageTag}")
            .WithEnvironment("SERVICES", LocalStackResource.Services)
            .Build();
        await localStack.StartAsync(ct);
        var url = localStack.GetConnectionString();

        // The AppHost's seeding, as it runs once the emulator is healthy (for moto the same).
        using var http = new HttpClient();
        var seeder = new SecretsManagerSeeder(http, new Uri(url), Region, TimeProvider.System);
        foreach (var (name, value) in values)
        {
            Assert.Equal(SecretSeeding.Created, await seeder.SeedAsync(name, value, ct));
        }

        var table = new DynamoDbTableResource("posts", PostsTableSchema.DefaultTableName);
        using var dynamo = AwsEmulatorResourceExtensions.CreateDynamoDbClient(url, Region);
        await dynamo.CreateTableAsync(table.CreateTableRequest(), ct);
        var description = (await dynamo.DescribeTableAsync(table.TableName, ct)).Table;
        Assert.Equal(
            [(PostsTableSchema.PartitionKey, KeyType.HASH), (PostsTableSchema.SortKey, KeyType.RANGE)],
            description.KeySchema.Select(k => (k.AttributeName, k.KeyType)));

        const int posts = 50;
        const string ruleTag = "twitterstream";
        await using var simulator = await SimulatorProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConsumerKey"] = values["twitterstream/consumer-key"],
            ["ConsumerSecret"] = values["twitterstream/consumer-secret"],
            ["TotalPosts"] = $"{posts}",
            ["MatchingShare"] = "1",
        }, ct);
        await using var worker = await WorkerProcess.StartAsync(new Dictionary<string, string?>
        {
            [WorkerVariables.DynamoDbEndpoint] = url,
            [WorkerVariables.SdkRegion] = Region,
            [WorkerVariables.AccessKeyId] = LocalAwsCredentials.AccessKeyId,
            [WorkerVariables.SecretAccessKey] = LocalAwsCredentials.SecretAccessKey,
            [WorkerVariables.Table] = table.TableName,
            [WorkerVariables.Filter] = "cats OR dogs",
            [WorkerVariables.RuleTag] = ruleTag,
            // The worker reads its credentials back through SSM itself, as under the AppHost.
            [SsmSecretReferences.EnvironmentVariable(WorkerVariables.ConsumerKey)] = SsmSecretReferences.ParameterName("twitterstream/consumer-key"),
            [SsmSecretReferences.EnvironmentVariable(WorkerVariables.ConsumerSecretKey)] = SsmSecretReferences.ParameterName("twitterstream/consumer-secret"),
            [SsmSecretReferences.SsmEndpoint] = url,
            [WorkerVariables.XApiBaseUrl] = simulator.BaseUrl.ToString().TrimEnd('/'),
        }, ct);
        await Readiness.WaitUntilAsync(worker.Process, async () => (await worker.GetCountersAsync(ct)).Stored >= posts,
            TimeSpan.FromSeconds(60), $"store {posts} posts in LocalStack", ct);

        var audit = CompletenessAudit.Compare(await simulator.GetLedgerAsync(ct), await PostsTable.ScanAsync(dynamo, table.TableName, ct), ruleTag);
        Assert.True(audit.IsComplete && audit.Expected == posts, audit.ToString());
    }
}
