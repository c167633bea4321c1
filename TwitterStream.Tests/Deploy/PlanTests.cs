using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Deploy;

/// <summary>What <c>plan</c> writes: deterministic files that carry the manifest's settings into ECS terms.</summary>
public sealed class PlanTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<string> PlanAsync(string folder, params string[] extra)
    {
        var output = Path.Combine(_bed.Root, folder);
        var run = await _bed.RunAsync(["plan", "--manifest", DeployManifests.CommittedPath, "--out", output, "--region", "eu-west-1", .. extra]);
        Assert.True(run.ExitCode == 0, run.Error);
        return output;
    }

    [Fact]
    public async Task Planning_twice_writes_identical_bytes()
    {
        var first = await PlanAsync("one");
        var second = await PlanAsync("two");

        var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["compliance-task-role-policy.json", "execution-role-policy.json", "task-definition.README.txt", "task-definition.json", "task-role-policy.json", "template.json"], names);
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name!)), File.ReadAllBytes(Path.Combine(second, name!)));
        }
    }

    [Fact]
    public async Task The_task_definition_maps_secret_parameters_to_secrets_and_resolves_every_other_expression()
    {
        var output = await PlanAsync("plan", "--account-id", "111122223333");
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "task-definition.json")))!;
        var container = task["containerDefinitions"]![0]!;
        var environment = container["environment"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        var secrets = container["secrets"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["valueFrom"]!.GetValue<string>());

        // plan looks nothing up, so the ARNs lack Secrets Manager's suffix; the companion text says what to replace.
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:twitterstream/consumer-key", secrets[WorkerVariables.ConsumerKey]);
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:twitterstream/consumer-secret", secrets[WorkerVariables.ConsumerSecretKey]);
        var notes = File.ReadAllText(Path.Combine(output, "task-definition.README.txt"));
        Assert.Contains("replace each secret's valueFrom", notes, StringComparison.Ordinal);
        Assert.Contains($"  - {WorkerVariables.ConsumerKey}: secret twitterstream/consumer-key", notes, StringComparison.Ordinal);
        Assert.Contains($"  - {WorkerVariables.ConsumerSecretKey}: secret twitterstream/consumer-secret", notes, StringComparison.Ordinal);
        Assert.Equal("X86_64", task["runtimePlatform"]!["cpuArchitecture"]!.GetValue<string>());
        Assert.DoesNotContain(WorkerVariables.ConsumerKey, environment.Keys);
        Assert.Equal("8080", environment["HTTP_PORTS"]);
        Assert.Equal("twitterstream-posts", environment[WorkerVariables.Table]);
        Assert.Equal("twitterstream", environment[WorkerVariables.RuleTag]);
        Assert.False(string.IsNullOrEmpty(environment[WorkerVariables.Filter]));
        Assert.Equal(TwitterStream.AppHost.TwitterStreamSettings.DefaultMonthlyPostBudget, environment[WorkerVariables.MonthlyPostBudget]);
        Assert.DoesNotContain(environment.Values, v => v.Contains('{', StringComparison.Ordinal));
        Assert.Equal(["CMD", "/app/TwitterStream.Worker", "--health-check"], container["healthCheck"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(container["readonlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal("0", environment["DOTNET_EnableDiagnostics"]);
        Assert.Equal("twitterstream", environment[WorkerVariables.DeploymentName]);
        Assert.NotEqual("root", container["user"]!.GetValue<string>());
        Assert.NotEqual("0", container["user"]!.GetValue<string>());
        Assert.Equal("worker", container["logConfiguration"]!["options"]!["awslogs-stream-prefix"]!.GetValue<string>());
        Assert.Equal("awsvpc", task["networkMode"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_monthly_post_budget_is_a_plain_container_variable_the_user_can_set()
    {
        _bed.Environment["Parameters__monthly-post-budget"] = "none";

        var output = await PlanAsync("plan");

        var container = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "task-definition.json")))!["containerDefinitions"]![0]!;
        var budget = Assert.Single(container["environment"]!.AsArray(), e => e!["name"]!.GetValue<string>() == WorkerVariables.MonthlyPostBudget);
        Assert.Equal("none", budget!["value"]!.GetValue<string>());
        Assert.DoesNotContain(container["secrets"]!.AsArray(), e => e!["name"]!.GetValue<string>() == WorkerVariables.MonthlyPostBudget);
    }

    [Fact]
    public async Task A_non_secret_parameter_takes_the_users_value_over_the_default()
    {
        _bed.Environment["Parameters__filter"] = "from:someone";

        var output = await PlanAsync("plan");

        Assert.Contains("\"value\": \"from:someone\"", File.ReadAllText(Path.Combine(output, "task-definition.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_never_runs_two_stream_connections_and_rolls_back_failed_deployments()
    {
        var output = await PlanAsync("plan");
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!;
        var service = template["Resources"]!["Service"]!["Properties"]!;
        var table = template["Resources"]!.AsObject().Single(r => r.Value!["Type"]!.GetValue<string>() == "AWS::DynamoDB::Table").Value!["Properties"]!;

        Assert.Equal(1, service["DesiredCount"]!.GetValue<int>());
        Assert.Equal("""[{"CapacityProvider":"FARGATE","Weight":1}]""", service["CapacityProviderStrategy"]!.ToJsonString());
        Assert.Null(service["LaunchType"]);
        Assert.Equal(100, service["DeploymentConfiguration"]!["MaximumPercent"]!.GetValue<int>());
        Assert.Equal(0, service["DeploymentConfiguration"]!["MinimumHealthyPercent"]!.GetValue<int>());
        Assert.True(service["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Rollback"]!.GetValue<bool>());
        Assert.Equal("PAY_PER_REQUEST", table["BillingMode"]!.GetValue<string>());
        Assert.True(table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        var secrets = template["Resources"]!.AsObject().Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::SecretsManager::Secret").ToList();
        Assert.Equal(2, secrets.Count);
        Assert.All(secrets, s =>
        {
            Assert.Null(s.Value!["Properties"]!["SecretString"]);
            Assert.Null(s.Value!["Properties"]!["GenerateSecretString"]);
        });
    }

    [Fact]
    public async Task Arm64_and_Spot_from_the_command_line_reach_the_task_definition_and_the_service()
    {
        var output = await PlanAsync("plan", "--arch", "arm64", "--spot");
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!;
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "task-definition.json")))!;

        Assert.Equal("ARM64", task["runtimePlatform"]!["cpuArchitecture"]!.GetValue<string>());
        Assert.Equal("ARM64", template["Resources"]!["TaskDefinition"]!["Properties"]!["RuntimePlatform"]!["CpuArchitecture"]!.GetValue<string>());
        Assert.Equal("""[{"CapacityProvider":"FARGATE_SPOT","Weight":1}]""", template["Resources"]!["Service"]!["Properties"]!["CapacityProviderStrategy"]!.ToJsonString());
        Assert.Equal("""["FARGATE","FARGATE_SPOT"]""", template["Resources"]!["Cluster"]!["Properties"]!["CapacityProviders"]!.ToJsonString());
    }

    [Fact]
    public async Task Arm64_and_Spot_can_be_the_manifests_Fargate_settings()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"), m =>
        {
            var service = DeployManifests.Resource(m, ManifestSchema.FargateService.Type);
            service[ManifestSchema.FargateService.CpuArchitecture] = ManifestSchema.FargateService.Arm64;
            service[ManifestSchema.FargateService.Spot] = true;
        });
        var output = Path.Combine(_bed.Root, "plan");

        var run = await _bed.RunAsync("plan", "--manifest", manifest, "--out", output, "--region", "eu-west-1");

        Assert.True(run.ExitCode == 0, run.Error);
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!;
        Assert.Equal("ARM64", template["Resources"]!["TaskDefinition"]!["Properties"]!["RuntimePlatform"]!["CpuArchitecture"]!.GetValue<string>());
        Assert.Equal("FARGATE_SPOT", template["Resources"]!["Service"]!["Properties"]!["CapacityProviderStrategy"]![0]!["CapacityProvider"]!.GetValue<string>());

        // The command line overrides the manifest's settings.
        var overridden = Path.Combine(_bed.Root, "overridden");
        run = await _bed.RunAsync("plan", "--manifest", manifest, "--out", overridden, "--region", "eu-west-1", "--arch", "x64", "--on-demand");
        Assert.True(run.ExitCode == 0, run.Error);
        template = JsonNode.Parse(File.ReadAllText(Path.Combine(overridden, "template.json")))!;
        Assert.Equal("X86_64", template["Resources"]!["TaskDefinition"]!["Properties"]!["RuntimePlatform"]!["CpuArchitecture"]!.GetValue<string>());
        Assert.Equal("FARGATE", template["Resources"]!["Service"]!["Properties"]!["CapacityProviderStrategy"]![0]!["CapacityProvider"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new string[0], 10)]
    [InlineData(new[] { "--keep-images", "3" }, 3)]
    public async Task The_repository_keeps_the_last_N_images(string[] extra, int kept)
    {
        var output = await PlanAsync("plan", extra);
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!;

        var policy = JsonNode.Parse(template["Resources"]!["Repository"]!["Properties"]!["LifecyclePolicy"]!["LifecyclePolicyText"]!.GetValue<string>())!;
        var rule = Assert.Single(policy["rules"]!.AsArray())!;
        Assert.Equal("imageCountMoreThan", rule["selection"]!["countType"]!.GetValue<string>());
        Assert.Equal("any", rule["selection"]!["tagStatus"]!.GetValue<string>());
        Assert.Equal(kept, rule["selection"]!["countNumber"]!.GetValue<int>());
        Assert.Equal("expire", rule["action"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_network_is_required_by_the_template_itself()
    {
        var output = await PlanAsync("plan");
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!["Parameters"]!;

        Assert.Equal("List<AWS::EC2::Subnet::Id>", parameters["Subnets"]!["Type"]!.GetValue<string>());
        Assert.Equal("List<AWS::EC2::SecurityGroup::Id>", parameters["SecurityGroups"]!["Type"]!.GetValue<string>());
        Assert.Null(parameters["Subnets"]!["Default"]);
        Assert.Null(parameters["SecurityGroups"]!["Default"]);
    }
}
