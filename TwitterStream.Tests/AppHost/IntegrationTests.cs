using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// Each AWS hosting integration on a bare builder, in the style of Aspire's own <c>VerifyManifest</c> tests: the
/// resource's manifest entry exactly as its publishing callback writes it, and what a consumer gets from it.
/// </summary>
public sealed class IntegrationTests
{
    [Fact]
    public async Task A_table_writes_its_name_billing_recovery_and_the_posts_key_schema()
    {
        var builder = PublishBuilder();
        var table = builder.AddDynamoDbTable("posts", "my-posts");

        var manifest = await ManifestOf(table.Resource);

        Assert.Equal(
            """
            {
              "type": "aws.dynamodb.table.v0",
              "tableName": "my-posts",
              "billingMode": "PAY_PER_REQUEST",
              "pointInTimeRecovery": true,
              "attributeDefinitions": [
                {
                  "name": "user",
                  "type": "S"
                },
                {
                  "name": "date",
                  "type": "S"
                }
              ],
              "keySchema": [
                {
                  "name": "user",
                  "keyType": "HASH"
                },
                {
                  "name": "date",
                  "keyType": "RANGE"
                }
              ]
            }
            """,
            manifest);
    }

    [Fact]
    public async Task A_Fargate_service_writes_its_project_and_settings_and_exists_only_when_publishing()
    {
        var builder = PublishBuilder();
        var project = builder.AddProject("api", ProjectFile(), _ => { });
        project.PublishAsFargateService(new FargateSettings { Cpu = "512", Memory = "1024", DesiredCount = 0, ContainerPort = 8081, CpuArchitecture = "ARM64", Spot = true });

        var service = Assert.Single(builder.Resources.OfType<FargateServiceResource>());
        Assert.Equal("api-fargate", service.Name);
        Assert.Equal(
            """
            {
              "type": "aws.fargate.service.v0",
              "project": "api",
              "cpu": "512",
              "memory": "1024",
              "desiredCount": 0,
              "logRetentionInDays": 30,
              "containerPort": 8081,
              "healthCheckPath": "/health",
              "stopTimeoutSeconds": 30,
              "cpuArchitecture": "ARM64",
              "spot": true,
              "alarms": {
                "storedMinutes": 10,
                "storedMinKeptPosts": 1,
                "disconnectedMinutes": 5,
                "noTaskMinutes": 5,
                "writeRetriesPerMinute": 10,
                "writeRetriesMinutes": 5,
                "usagePercent": 90
              }
            }
            """,
            await ManifestOf(service));

        var runBuilder = RunBuilder();
        runBuilder.AddProject("api", ProjectFile(), _ => { }).PublishAsFargateService(new FargateSettings());
        Assert.Empty(runBuilder.Resources.OfType<FargateServiceResource>());
    }

    [Fact]
    public async Task A_consumer_of_an_emulated_secret_gets_its_SSM_parameter_the_endpoint_and_local_credentials_never_the_value()
    {
        var builder = RunBuilder();
        var key = builder.AddParameter("key", secret: true);
        var moto = builder.AddMoto("moto", 4570, "eu-west-1").WithSecret("app/key", key);
        var consumer = builder.AddExecutable("consumer", "true", ".").WithEnvironmentFromSecret("App:Key", moto, "app/key");

        var env = await consumer.Resource.EnvironmentExpressionsAsync();

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["SsmSecrets__App__Key"] = "/aws/reference/secretsmanager/app/key",
                [SsmSecretReferences.SsmEndpoint] = "{moto.bindings.http.url}",
                [WorkerVariables.SdkRegion] = "eu-west-1",
                [WorkerVariables.AccessKeyId] = LocalAwsCredentials.AccessKeyId,
                [WorkerVariables.SecretAccessKey] = LocalAwsCredentials.SecretAccessKey,
            },
            env);
        Assert.Empty(await moto.Resource.EnvironmentExpressionsAsync());
        Assert.Equal(["moto"], consumer.Resource.WaitsFor());
        Assert.Throws<InvalidOperationException>(() => moto.WithSecret("app/key", key));
        Assert.Throws<InvalidOperationException>(() => consumer.WithEnvironmentFromSecret("Other", moto, "no/such"));
    }

    [Fact]
    public async Task A_consumer_of_a_table_in_an_emulator_gets_the_table_name_and_the_SDK_variables_from_the_emulator_region()
    {
        var builder = RunBuilder();
        var emulator = builder.AddDynamoDbLocal("ddb", 8123, "eu-west-1");
        var table = builder.AddDynamoDbTable("posts", "my-posts").WithEmulator(emulator);
        var consumer = builder.AddExecutable("consumer", "true", ".").WithReference(table);

        var env = await consumer.Resource.EnvironmentExpressionsAsync();

        Assert.Equal("{posts.tableName}", env[WorkerVariables.Table]);
        Assert.Equal("{ddb.bindings.http.url}", env[WorkerVariables.DynamoDbEndpoint]);
        Assert.Equal("eu-west-1", env[WorkerVariables.SdkRegion]);
        Assert.Equal(LocalAwsCredentials.AccessKeyId, env[WorkerVariables.AccessKeyId]);
        Assert.Equal(LocalAwsCredentials.SecretAccessKey, env[WorkerVariables.SecretAccessKey]);
        Assert.Equal(["ddb", "posts"], consumer.Resource.WaitsFor().Order());
    }

    [Fact]
    public async Task A_consumer_of_a_table_without_an_emulator_gets_only_the_table_name()
    {
        var builder = PublishBuilder();
        var table = builder.AddDynamoDbTable("posts", "my-posts");
        var consumer = builder.AddExecutable("consumer", "true", ".").WithReference(table, "TABLE");

        var env = await consumer.Resource.EnvironmentExpressionsAsync();

        Assert.Equal(["TABLE"], env.Keys);
        Assert.Equal("{posts.tableName}", env["TABLE"]);
    }

    [Fact]
    public void Public_methods_reject_null_arguments()
    {
        var builder = RunBuilder();
        var table = builder.AddDynamoDbTable("posts", "my-posts");

        Assert.Throws<ArgumentNullException>(() => ((IDistributedApplicationBuilder)null!).AddDynamoDbTable("posts", "t"));
        Assert.Throws<ArgumentNullException>(() => table.WithEmulator(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddExecutable("c", "true", ".").WithReference((IResourceBuilder<DynamoDbTableResource>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddProject("p", ProjectFile(), _ => { }).PublishAsFargateService(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddDynamoDbAdmin("admin", 8001, null!));
    }

    /// <summary>An empty project file (AddProject only checks that the path exists), the same one for every test.</summary>
    private static string ProjectFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "twitterstream-integration-tests"));
        var path = Path.Combine(folder.FullName, "api.csproj");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "<Project />");
        }

        return path;
    }

    private static IDistributedApplicationBuilder RunBuilder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });

    private static IDistributedApplicationBuilder PublishBuilder() =>
        RunBuilder("--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), "unused-manifest.json"));

    /// <summary>The resource's manifest entry as the manifest publisher writes it: its publishing callback in a JSON object.</summary>
    private static async Task<string> ManifestOf(IResource resource)
    {
        using var stream = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var context = new ManifestPublishingContext(
                new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish),
                Path.Combine(Path.GetTempPath(), "manifest.json"), writer, TestContext.Current.CancellationToken);
            writer.WriteStartObject();
            var callback = Assert.Single(resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>()).Callback;
            Assert.NotNull(callback);
            await callback(context);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(stream.ToArray())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
            .Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
