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
        Assert.Equal(["execution-role-policy.json", "task-definition.json", "task-role-policy.json", "template.json"], names);
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

        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:twitterstream/consumer-key", secrets[WorkerVariables.ConsumerKey]);
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:111122223333:secret:twitterstream/consumer-secret", secrets[WorkerVariables.ConsumerSecretKey]);
        Assert.DoesNotContain(WorkerVariables.ConsumerKey, environment.Keys);
        Assert.Equal("8080", environment["HTTP_PORTS"]);
        Assert.Equal("twitterstream-posts", environment[WorkerVariables.Table]);
        Assert.Equal("twitterstream", environment[WorkerVariables.RuleTag]);
        Assert.False(string.IsNullOrEmpty(environment[WorkerVariables.Filter]));
        Assert.DoesNotContain(environment.Values, v => v.Contains('{', StringComparison.Ordinal));
        Assert.Equal(["CMD", "/app/TwitterStream.Worker", "--health-check"], container["healthCheck"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(container["readonlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal("0", environment["DOTNET_EnableDiagnostics"]);
        Assert.NotEqual("root", container["user"]!.GetValue<string>());
        Assert.NotEqual("0", container["user"]!.GetValue<string>());
        Assert.Equal("worker", container["logConfiguration"]!["options"]!["awslogs-stream-prefix"]!.GetValue<string>());
        Assert.Equal("awsvpc", task["networkMode"]!.GetValue<string>());
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
}
