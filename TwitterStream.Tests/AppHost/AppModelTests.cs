using TwitterStream.Harness;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting;
using TwitterStream.AppHost;
using TwitterStream.Contracts;
using TwitterStream.LocalTools;

namespace TwitterStream.Tests.AppHost;

public sealed class AppModelTests(AppHostModels models) : IClassFixture<AppHostModels>
{
    private const string DynamoDbLocalMode = "TwitterStream:AwsEmulator=dynamodb-local";
    private const string LocalStackMode = "TwitterStream:AwsEmulator=localstack";

    private Task<AppHostModel> DynamoDbLocalModel() =>
        models.GetAsync(DynamoDbLocalMode, "Simulator:TotalPosts=200", "Simulator:Faults:DropEvery=7");

    private Task<AppHostModel> LocalStackModel() => models.GetAsync(LocalStackMode, ContainerRuntimeStandIn.Setting);

    /// <summary>The chooser checks that moto_server is on PATH before the model is built.</summary>
    private Task<AppHostModel> MotoModel()
    {
        Assert.SkipWhen(MotoServerProcess.FindOnPath() is null, MotoServerProcess.MissingReason);
        return models.GetAsync("TwitterStream:AwsEmulator=moto", "TwitterStream:DynamoDbAdmin=false");
    }

    [Fact]
    public async Task DynamoDB_Local_runs_with_java_on_its_fixed_port_with_a_shared_database_and_a_health_check()
    {
        var app = await DynamoDbLocalModel();

        var emulator = app.Resource<DynamoDbLocalResource>("dynamodb-local");
        Assert.Equal("java", emulator.Command);
        var args = await emulator.ArgumentExpressionsAsync();
        Assert.Equal(DynamoDbLocalDistribution.JarPath, args[Array.IndexOf(args, "-jar") + 1]);
        Assert.Equal("8000", args[Array.IndexOf(args, "-port") + 1]);
        Assert.Contains("-sharedDb", args);
        Assert.Contains("-disableTelemetry", args);
        Assert.Equal("", args[Array.IndexOf(args, "-cors") + 1]);
        var endpoint = emulator.Endpoint("http");
        Assert.Equal((8000, 8000, false), (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied));
        Assert.NotEmpty(emulator.Annotations.OfType<HealthCheckAnnotation>());
        Assert.DoesNotContain(app.Resources, r => r is ContainerResource);
    }

    [Fact]
    public async Task The_DynamoDB_port_setting_moves_the_emulator_endpoint()
    {
        var app = await models.GetAsync(DynamoDbLocalMode, "TwitterStream:DynamoDbPort=18123", "TwitterStream:DynamoDbAdmin=false");

        var emulator = app.Resource<DynamoDbLocalResource>("dynamodb-local");
        Assert.Equal(18123, emulator.Endpoint("http").Port);
        var args = await emulator.ArgumentExpressionsAsync();
        Assert.Equal("18123", args[Array.IndexOf(args, "-port") + 1]);
    }

    [Fact]
    public async Task With_DynamoDB_Local_the_worker_gets_the_emulator_table_stream_and_parameter_credentials_and_waits_for_them()
    {
        var app = await DynamoDbLocalModel();

        var worker = app.Resource<ProjectResource>("worker");
        var env = await worker.EnvironmentExpressionsAsync();
        Assert.Equal("http://localhost:{worker.bindings.http.targetPort}", env["ASPNETCORE_URLS"]);
        Assert.False(env.ContainsKey("HTTP_PORTS"));
        Assert.Equal("{dynamodb-local.bindings.http.url}", env[WorkerVariables.DynamoDbEndpoint]);
        Assert.Equal(LocalAwsCredentials.Region, env[WorkerVariables.SdkRegion]);
        Assert.Equal(LocalAwsCredentials.AccessKeyId, env[WorkerVariables.AccessKeyId]);
        Assert.Equal("{posts.tableName}", env[WorkerVariables.Table]);
        Assert.Equal("{filter.value}", env[WorkerVariables.Filter]);
        Assert.Equal("{monthly-post-budget.value}", env[WorkerVariables.MonthlyPostBudget]);
        Assert.Equal("twitterstream", env[WorkerVariables.RuleTag]);
        Assert.Equal("{simulator.bindings.http.url}", env[WorkerVariables.XApiBaseUrl]);
        Assert.Equal("{simulator-consumer-key.value}", env[WorkerVariables.ConsumerKey]);
        Assert.Equal("{simulator-consumer-secret.value}", env[WorkerVariables.ConsumerSecretKey]);
        Assert.Equal(["dynamodb-local", "posts", "simulator"], worker.WaitsFor().Order());
        Assert.NotEmpty(worker.Annotations.OfType<HealthCheckAnnotation>());

        var posts = app.Resource<DynamoDbTableResource>("posts");
        Assert.Equal(PostsTableSchema.DefaultTableName, await posts.TableNameReference.GetValueAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["dynamodb-local"], posts.WaitsFor());
        Assert.NotEmpty(posts.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task With_the_simulator_the_credentials_are_generated_secrets_of_its_own_that_the_simulator_and_the_worker_share()
    {
        var app = await DynamoDbLocalModel();

        // The real X API's names stay unused, so a generated value never lands where README tells users to put theirs.
        Assert.DoesNotContain(app.Resources, r => r.Name is "consumer-key" or "consumer-secret");
        foreach (var name in new[] { "simulator-consumer-key", "simulator-consumer-secret" })
        {
            var parameter = app.Resource<ParameterResource>(name);
            Assert.True(parameter.Secret);
            // A default (generated once, then kept in the AppHost's user secrets); with the real X API there is none.
            Assert.NotNull(parameter.Default);
        }

        var simulator = app.Resource<ProjectResource>("simulator");
        var env = await simulator.EnvironmentExpressionsAsync();
        Assert.Equal("{simulator-consumer-key.value}", env["Simulator__ConsumerKey"]);
        Assert.Equal("{simulator-consumer-secret.value}", env["Simulator__ConsumerSecret"]);
        Assert.Equal("200", env["Simulator__TotalPosts"]);
        Assert.Equal("7", env["Simulator__Faults__DropEvery"]);
        Assert.Equal("http", simulator.Endpoint("http").UriScheme);
        Assert.NotEmpty(simulator.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task With_the_real_X_API_there_is_no_simulator_and_the_credentials_are_plain_secret_parameters()
    {
        var app = await models.GetAsync(
            DynamoDbLocalMode, "TwitterStream:StreamSource=x", "Parameters:consumer-key=k", "Parameters:consumer-secret=s");

        Assert.DoesNotContain(app.Resources, r => r.Name == "simulator");
        var env = await app.Resource<ProjectResource>("worker").EnvironmentExpressionsAsync();
        Assert.Equal("https://api.x.com", env[WorkerVariables.XApiBaseUrl]);
        Assert.Equal("{consumer-key.value}", env[WorkerVariables.ConsumerKey]);
        var key = app.Resource<ParameterResource>("consumer-key");
        Assert.True(key.Secret);
        Assert.Null(key.Default);
    }

    [Fact]
    public async Task LocalStack_runs_the_pinned_image_on_its_fixed_port_with_the_services_health_and_the_secrets_to_seed()
    {
        var app = await LocalStackModel();

        var localStack = app.Resource<LocalStackResource>("localstack");
        var image = Assert.Single(localStack.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "localstack/localstack", "4.14.0"), (image.Registry, image.Image, image.Tag));
        var endpoint = localStack.Endpoint("http");
        Assert.Equal((4566, 4566, false), (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied));
        Assert.Single(localStack.Annotations.OfType<HealthCheckAnnotation>());

        var env = await localStack.EnvironmentExpressionsAsync();
        Assert.Equal("dynamodb,secretsmanager,ssm", env["SERVICES"]);
        Assert.False(env.ContainsKey("LOCALSTACK_AUTH_TOKEN"));
        Assert.DoesNotContain(env.Values, v => v.Contains(".value}", StringComparison.Ordinal)); // no secret goes into the container
        Assert.Empty(localStack.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        Assert.Equal(
            [("twitterstream/consumer-key", "simulator-consumer-key"), ("twitterstream/consumer-secret", "simulator-consumer-secret")],
            localStack.Secrets().Select(s => (s.SecretName, s.Value.Name)));
        Assert.DoesNotContain(app.Resources, r => r is DynamoDbLocalResource);
    }

    [Fact]
    public async Task With_LocalStack_the_worker_and_the_simulator_read_their_credentials_from_Secrets_Manager_through_SSM()
    {
        var app = await LocalStackModel();

        await AssertCredentialsComeFromSsm(app, "localstack");
        Assert.Equal(["localstack"], app.Resource<DynamoDbTableResource>("posts").WaitsFor());
    }

    [Fact]
    public async Task Moto_runs_moto_server_on_loopback_at_its_fixed_port_with_a_health_check_and_the_secrets_to_seed()
    {
        var app = await MotoModel();

        var moto = app.Resource<MotoResource>("moto");
        Assert.Equal("moto_server", moto.Command);
        Assert.Equal(["-H", "127.0.0.1", "-p", "4566"], await moto.ArgumentExpressionsAsync());
        var endpoint = moto.Endpoint("http");
        Assert.Equal((4566, 4566, false), (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied));
        Assert.Single(moto.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Empty(await moto.EnvironmentExpressionsAsync());
        Assert.Equal(["twitterstream/consumer-key", "twitterstream/consumer-secret"], moto.Secrets().Select(s => s.SecretName));
        Assert.Equal(["moto"], app.Resource<DynamoDbTableResource>("posts").WaitsFor());
        Assert.DoesNotContain(app.Resources, r => r is DynamoDbLocalResource or ContainerResource);
    }

    [Fact]
    public async Task With_moto_the_worker_and_the_simulator_read_their_credentials_from_Secrets_Manager_through_SSM()
    {
        await AssertCredentialsComeFromSsm(await MotoModel(), "moto");
    }

    /// <summary>Both consumers get each secret's SSM parameter name and the emulator's endpoint, never a credential parameter.</summary>
    private static async Task AssertCredentialsComeFromSsm(AppHostModel app, string emulator)
    {
        var worker = app.Resource<ProjectResource>("worker");
        var env = await worker.EnvironmentExpressionsAsync();
        Assert.Equal($"{{{emulator}.bindings.http.url}}", env[WorkerVariables.DynamoDbEndpoint]);
        Assert.Equal($"{{{emulator}.bindings.http.url}}", env[SsmSecretReferences.SsmEndpoint]);
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-key", env[$"SsmSecrets__{WorkerVariables.ConsumerKey}"]);
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-secret", env[$"SsmSecrets__{WorkerVariables.ConsumerSecretKey}"]);
        Assert.False(env.ContainsKey(WorkerVariables.ConsumerKey));
        Assert.False(env.ContainsKey(WorkerVariables.ConsumerSecretKey));
        Assert.Contains(emulator, worker.WaitsFor());

        var simulator = app.Resource<ProjectResource>("simulator");
        var simulatorEnv = await simulator.EnvironmentExpressionsAsync();
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-key", simulatorEnv["SsmSecrets__Simulator__ConsumerKey"]);
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-secret", simulatorEnv["SsmSecrets__Simulator__ConsumerSecret"]);
        Assert.Contains(emulator, simulator.WaitsFor());

        foreach (var resource in app.Resources.OfType<IResourceWithEnvironment>())
        {
            var values = await resource.EnvironmentExpressionsAsync();
            Assert.DoesNotContain(values, v => v.Value.Contains("consumer-key.value}", StringComparison.Ordinal) || v.Value.Contains("consumer-secret.value}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_LocalStack_auth_token_is_passed_on_as_a_secret_parameter_and_a_newer_tag_can_be_chosen()
    {
        var app = await models.GetAsync(
            LocalStackMode, ContainerRuntimeStandIn.Setting, "LOCALSTACK_AUTH_TOKEN=ls-canary-token", "TwitterStream:LocalStackImageTag=4.15.0", "TwitterStream:DynamoDbPort=4600");

        var localStack = app.Resource<LocalStackResource>("localstack");
        var env = await localStack.EnvironmentExpressionsAsync();
        Assert.Equal("{localstack-auth-token.value}", env["LOCALSTACK_AUTH_TOKEN"]);
        Assert.True(app.Resource<ParameterResource>("localstack-auth-token").Secret);
        Assert.Equal("4.15.0", Assert.Single(localStack.Annotations.OfType<ContainerImageAnnotation>()).Tag);
        Assert.Equal(4600, localStack.Endpoint("http").Port);
    }

    [Fact]
    public async Task Dynamodb_admin_browses_the_emulator_when_node_is_present()
    {
        Assert.SkipUnless(new MachineToolProbes("docker").NodeAvailable(), "npx (Node.js) is not on PATH, so the AppHost adds no dynamodb-admin");
        var app = await DynamoDbLocalModel();

        var admin = app.Resource<DynamoDbAdminResource>("dynamodb-admin");
        Assert.Equal("npx", admin.Command);
        Assert.Equal(["--yes", "dynamodb-admin@5.3.3"], await admin.ArgumentExpressionsAsync());
        Assert.Equal("127.0.0.1", (await admin.EnvironmentExpressionsAsync())["HOST"]);
        Assert.Equal(8001, admin.Endpoint("http").Port);
        var env = await admin.EnvironmentExpressionsAsync();
        Assert.Equal("{dynamodb-local.bindings.http.url}", env["DYNAMO_ENDPOINT"]);
        Assert.Contains("dynamodb-local", admin.WaitsFor());
    }

    [Fact]
    public async Task The_filter_defaults_to_the_setting_and_the_parameter_overrides_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var byDefault = await DynamoDbLocalModel();
        var overridden = await models.GetAsync(DynamoDbLocalMode, "Parameters:filter=from:XDevelopers");

        Assert.Equal(TwitterStreamSettings.DefaultFilter, await byDefault.Resource<ParameterResource>("filter").GetValueAsync(ct));
        Assert.Equal("from:XDevelopers", await overridden.Resource<ParameterResource>("filter").GetValueAsync(ct));
    }

    [Fact]
    public async Task The_monthly_post_budget_defaults_to_the_setting_and_the_parameter_overrides_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var byDefault = await DynamoDbLocalModel();
        var fromSetting = await models.GetAsync(DynamoDbLocalMode, "TwitterStream:MonthlyPostBudget=none");
        var overridden = await models.GetAsync(DynamoDbLocalMode, "Parameters:monthly-post-budget=5000");

        Assert.Equal(TwitterStreamSettings.DefaultMonthlyPostBudget, await byDefault.Resource<ParameterResource>("monthly-post-budget").GetValueAsync(ct));
        Assert.Equal("none", await fromSetting.Resource<ParameterResource>("monthly-post-budget").GetValueAsync(ct));
        Assert.Equal("5000", await overridden.Resource<ParameterResource>("monthly-post-budget").GetValueAsync(ct));
        Assert.False(byDefault.Resource<ParameterResource>("monthly-post-budget").Secret);
    }

    [Fact]
    public async Task The_dynamodb_admin_setting_turns_it_off()
    {
        var app = await models.GetAsync(DynamoDbLocalMode, "TwitterStream:DynamoDbPort=18123", "TwitterStream:DynamoDbAdmin=false");

        Assert.DoesNotContain(app.Resources, r => r is DynamoDbAdminResource);
    }

    [Fact]
    public async Task The_publish_model_holds_only_what_the_deployment_needs()
    {
        var output = Path.Combine(Path.GetTempPath(), $"twitterstream-manifest-{Guid.NewGuid():N}", "aspire-manifest.json");
        var app = await models.GetAsync("--publisher", "manifest", "--output-path", output);

        Assert.Equal(
            ["consumer-key", "consumer-secret", "filter", "monthly-post-budget", "posts", "worker", "worker-fargate"],
            app.Resources.Select(r => r.Name).Order());
        Assert.All(["consumer-key", "consumer-secret"], name => Assert.Null(app.Resource<ParameterResource>(name).Default));
        var env = await app.Resource<ProjectResource>("worker").EnvironmentExpressionsAsync();
        Assert.Equal("https://api.x.com", env[WorkerVariables.XApiBaseUrl]);
        Assert.Equal("{worker.bindings.http.targetPort}", env["HTTP_PORTS"]);
        Assert.False(env.ContainsKey("ASPNETCORE_URLS"));
        Assert.DoesNotContain(env.Keys, key => key.StartsWith("AWS_", StringComparison.Ordinal));
        var fargate = app.Resource<FargateServiceResource>("worker-fargate");
        Assert.Equal("worker", fargate.Project.Name);
        Assert.Equal(1, fargate.Settings.DesiredCount);
        Assert.IsType<ResourcePropertyReference>(app.Resource<DynamoDbTableResource>("posts").TableNameReference);
    }
}
