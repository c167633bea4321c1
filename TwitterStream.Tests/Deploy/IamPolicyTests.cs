using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Deploy;

/// <summary>Least privilege, checked on the policy files and on the same policies inside the template.</summary>
public sealed class IamPolicyTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<(JsonNode Template, JsonNode Execution, JsonNode Task)> PlanAsync()
    {
        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");
        Assert.True(run.ExitCode == 0, run.Error);
        JsonNode Read(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, name)))!;
        return (Read("template.json"), Read("execution-role-policy.json"), Read("task-role-policy.json"));
    }

    private static IEnumerable<JsonObject> Statements(JsonNode policy) => policy["Statement"]!.AsArray().Cast<JsonObject>();

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(e => e!.ToJsonString().Trim('"')).ToList(),
        null => [],
        _ => [node.ToJsonString().Trim('"')],
    };

    private static JsonNode RolePolicy(JsonNode template, string role) => template["Resources"]![role]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!;

    [Fact]
    public async Task No_action_is_a_wildcard_and_only_GetAuthorizationToken_has_a_wildcard_resource()
    {
        var (template, execution, task) = await PlanAsync();
        var policies = new[] { execution, task, RolePolicy(template, "ExecutionRole"), RolePolicy(template, "TaskRole") };

        foreach (var statement in policies.SelectMany(Statements))
        {
            Assert.Equal("Allow", statement["Effect"]!.GetValue<string>());
            Assert.Null(statement["NotAction"]);
            Assert.Null(statement["NotResource"]);
            Assert.DoesNotContain(Strings(statement["Action"]), a => a.Contains('*', StringComparison.Ordinal));
            if (Strings(statement["Resource"]).Contains("*"))
            {
                Assert.Equal(["ecr:GetAuthorizationToken"], Strings(statement["Action"]));
            }
        }
    }

    [Fact]
    public async Task The_task_role_may_only_call_what_the_worker_calls_on_exactly_the_posts_table()
    {
        var (template, _, task) = await PlanAsync();

        // PostWriter's BatchWriteItem, and the checkpoint's and budget's GetItem/UpdateItem on the reserved partition key only.
        Assert.Equal(["WritePosts", "KeepReservedItems"], Statements(task).Select(s => s["Sid"]!.GetValue<string>()));
        var statement = Statements(task).Single(s => s["Sid"]!.GetValue<string>() == "WritePosts");
        Assert.Equal(["dynamodb:BatchWriteItem"], Strings(statement["Action"]));
        Assert.Equal(["arn:aws:dynamodb:us-east-1:111122223333:table/twitterstream-posts"], Strings(statement["Resource"]));
        Assert.Null(statement["Condition"]);
        var budget = Statements(task).Single(s => s["Sid"]!.GetValue<string>() == "KeepReservedItems");
        Assert.Equal(["dynamodb:GetItem", "dynamodb:UpdateItem"], Strings(budget["Action"]));
        Assert.Equal(Strings(statement["Resource"]), Strings(budget["Resource"]));
        Assert.Equal("""{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["#twitterstream"]}}""", budget["Condition"]!.ToJsonString());

        // In the template the ARN is the table's own attribute, so CloudFormation creates the table before the role
        // and deletes it after.
        var inTemplate = Statements(RolePolicy(template, "TaskRole")).Single(s => s["Sid"]!.GetValue<string>() == "WritePosts");
        Assert.Equal(Strings(statement["Action"]), Strings(inTemplate["Action"]));
        var tableId = template["Resources"]!.AsObject().Single(r => r.Value!["Type"]!.GetValue<string>() == "AWS::DynamoDB::Table").Key;
        Assert.Equal($$"""[{"Fn::GetAtt":["{{tableId}}","Arn"]}]""", inTemplate["Resource"]!.ToJsonString());
    }

    [Fact]
    public async Task The_execution_role_reads_exactly_the_stacks_secrets()
    {
        var (template, execution, _) = await PlanAsync();

        var reads = Statements(execution).Single(s => Strings(s["Action"]).Contains("secretsmanager:GetSecretValue"));
        Assert.Equal(["secretsmanager:GetSecretValue"], Strings(reads["Action"]));
        Assert.Equal(
            [
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:twitterstream/consumer-key-??????",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:twitterstream/consumer-secret-??????",
            ],
            Strings(reads["Resource"]));

        var secretIds = template["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::SecretsManager::Secret")
            .Select(r => $$"""{"Ref":"{{r.Key}}"}""")
            .Order(StringComparer.Ordinal);
        var inTemplate = Statements(RolePolicy(template, "ExecutionRole")).Single(s => Strings(s["Action"]).Contains("secretsmanager:GetSecretValue"));
        Assert.Equal(secretIds, inTemplate["Resource"]!.AsArray().Select(r => r!.ToJsonString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Statements(execution), s => Strings(s["Action"]).Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("100000")]
    [InlineData("none")]
    public async Task The_reserved_items_are_allowed_with_or_without_a_budget_because_the_recovery_checkpoint_lives_there(string budget)
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => DeployManifests.Worker(m)["env"]![WorkerVariables.MonthlyPostBudget] = budget);

        var run = await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");

        Assert.True(run.ExitCode == 0, run.Error);
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "task-role-policy.json")))!;
        Assert.Equal(["WritePosts", "KeepReservedItems"], Statements(task).Select(s => s["Sid"]!.GetValue<string>()));
        Assert.Equal(["dynamodb:BatchWriteItem"], Strings(Statements(task).First()["Action"]));
        var reserved = Statements(task).Last();
        Assert.Equal(["dynamodb:GetItem", "dynamodb:UpdateItem"], Strings(reserved["Action"]));
        Assert.Equal("""{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["#twitterstream"]}}""", reserved["Condition"]!.ToJsonString());
    }
}
