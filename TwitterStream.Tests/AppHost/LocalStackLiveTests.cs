using System.Text;
using Amazon.DynamoDBv2;
using Aspire.Hosting.ApplicationModel;
using DotNet.Testcontainers.Configurations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Testcontainers.LocalStack;
using Aspire.Hosting;
using TwitterStream.AppHost;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The LocalStack the AppHost runs (same image tag, services, init hook), started with Testcontainers: the seeded
/// secrets read back through SSM as the worker gets them, the table created as the AppHost creates it, and the worker
/// (given those credentials) storing the simulator's posts in it.
/// </summary>
public sealed class LocalStackLiveTests
{
    private const string Region = LocalAwsCredentials.Region;

    [Fact]
    public async Task Secrets_seeded_by_the_init_hook_read_back_through_SSM_the_table_is_created_and_the_worker_writes()
    {
        var runtime = new MachineToolProbes("docker").ContainerRuntime();
        Assert.SkipUnless(runtime.Answers, $"LocalStack needs a container runtime: {runtime.Description}");
        var ct = TestContext.Current.CancellationToken;

        var values = new Dictionary<string, string>
        {
            ["twitterstream/consumer-key"] = $"key-{Guid.NewGuid():N}",
            ["twitterstream/consumer-secret"] = $"secret-{Guid.NewGuid():N} with spaces & 'quotes'",
        };
        var secrets = values.Select((pair, index) => new LocalStackSecret(
            pair.Key, $"TWITTERSTREAM_SECRET_{index}", new ParameterResource(pair.Key, _ => pair.Value, secret: true))).ToList();

        var builder = new LocalStackBuilder($"{LocalStackResource.Image}:{LocalStackResource.DefaultImageTag}")
            .WithEnvironment("SERVICES", LocalStackResource.Services)
            .WithResourceMapping(
                Encoding.UTF8.GetBytes(LocalStackResourceExtensions.InitScript(secrets)),
                $"{LocalStackResource.ReadyHooksFolder}/{LocalStackResource.InitScriptName}",
                fileMode: UnixFileModes.UserRead | UnixFileModes.UserWrite | UnixFileModes.UserExecute
                    | UnixFileModes.GroupRead | UnixFileModes.GroupExecute | UnixFileModes.OtherRead | UnixFileModes.OtherExecute);
        foreach (var secret in secrets)
        {
            builder = builder.WithEnvironment(secret.EnvironmentVariable, values[secret.SecretName]);
        }

        await using var localStack = builder.Build();
        await localStack.StartAsync(ct);
        var url = localStack.GetConnectionString();

        using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ready.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await LocalStackResourceExtensions.ReadyHooksCompletedAsync(new Uri(url), ready.Token)).Status != HealthStatus.Healthy)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), ready.Token); // poll interval of the ready-hooks endpoint
        }

        var delivered = new Dictionary<string, string>();
        foreach (var secret in secrets)
        {
            delivered[secret.SecretName] = await SecretsManagerReference.ReadAsync(url, Region, secret.SsmParameterName, ct);
            Assert.Equal(values[secret.SecretName], delivered[secret.SecretName]);
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
            [WorkerVariables.ConsumerKey] = delivered["twitterstream/consumer-key"],
            [WorkerVariables.ConsumerSecretKey] = delivered["twitterstream/consumer-secret"],
            [WorkerVariables.XApiBaseUrl] = simulator.BaseUrl.ToString().TrimEnd('/'),
        }, ct);
        await Readiness.WaitUntilAsync(worker.Process, async () => (await worker.GetCountersAsync(ct)).Stored >= posts,
            TimeSpan.FromSeconds(60), $"store {posts} posts in LocalStack", ct);

        var audit = CompletenessAudit.Compare(await simulator.GetLedgerAsync(ct), await PostsTable.ScanAsync(dynamo, table.TableName, ct), ruleTag);
        Assert.True(audit.IsComplete && audit.Expected == posts, audit.ToString());
    }
}
