using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Deploy;

/// <summary>The compliance sweep and retention in the stack: the id index, TTL, the scheduled task and its least-privilege roles.</summary>
public sealed class ComplianceTemplateTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<JsonObject> PlanAsync(string? manifest = null)
    {
        var run = await _bed.RunAsync("plan", "--manifest", manifest ?? DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "template.json")))!["Resources"]!.AsObject();
    }

    private static JsonObject Properties(JsonObject resources, string logicalId) => resources[logicalId]!["Properties"]!.AsObject();

    private static IEnumerable<JsonObject> Statements(JsonNode role) =>
        role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Cast<JsonObject>();

    private static List<string> Actions(JsonObject statement) => [.. statement["Action"]!.AsArray().Select(a => a!.GetValue<string>())];

    [Fact]
    public async Task The_table_has_the_keys_only_id_index_and_no_TTL_unless_a_retention_is_set()
    {
        var table = Properties(await PlanAsync(), "TablePosts");

        Assert.Equal(
            """[{"IndexName":"id-index","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]""",
            table["GlobalSecondaryIndexes"]!.ToJsonString());
        Assert.Contains(table["AttributeDefinitions"]!.AsArray(), a => a!["AttributeName"]!.GetValue<string>() == PostsTableSchema.Id);
        Assert.Null(table["TimeToLiveSpecification"]);
    }

    [Fact]
    public async Task A_retention_in_the_manifest_turns_on_TTL_on_the_expiry_attribute()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => DeployManifests.Resource(m, ManifestSchema.Table.Type)[ManifestSchema.Table.TimeToLiveAttribute] = PostsTableSchema.ExpiresAt);

        var table = Properties(await PlanAsync(manifest), "TablePosts");

        Assert.Equal("""{"AttributeName":"expires_at","Enabled":true}""", table["TimeToLiveSpecification"]!.ToJsonString());
    }

    [Fact]
    public async Task The_sweep_runs_daily_as_its_own_task_of_the_worker_image_without_port_or_health_check()
    {
        var resources = await PlanAsync();

        var rule = Properties(resources, "ComplianceSweepSchedule");
        Assert.Equal("rate(1 day)", rule["ScheduleExpression"]!.GetValue<string>());
        var target = rule["Targets"]![0]!;
        Assert.Equal("""{"Fn::GetAtt":["Cluster","Arn"]}""", target["Arn"]!.ToJsonString());
        Assert.Equal("""{"Ref":"ComplianceSweepTaskDefinition"}""", target["EcsParameters"]!["TaskDefinitionArn"]!.ToJsonString());
        Assert.Equal("""{"Ref":"Subnets"}""", target["EcsParameters"]!["NetworkConfiguration"]!["AwsVpcConfiguration"]!["Subnets"]!.ToJsonString());

        var sweep = Properties(resources, "ComplianceSweepTaskDefinition");
        var worker = Properties(resources, "TaskDefinition");
        var container = sweep["ContainerDefinitions"]![0]!.AsObject();
        Assert.Equal("""["compliance-sweep"]""", container["Command"]!.ToJsonString());
        Assert.Null(container["HealthCheck"]);
        Assert.Null(container["PortMappings"]);
        Assert.Equal(worker["ContainerDefinitions"]![0]!["Image"]!.ToJsonString(), container["Image"]!.ToJsonString());
        Assert.Equal(worker["ContainerDefinitions"]![0]!["Secrets"]!.ToJsonString(), container["Secrets"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["ComplianceSweepTaskRole","Arn"]}""", sweep["TaskRoleArn"]!.ToJsonString());
        Assert.Equal("twitterstream-worker-compliance-sweep", sweep["Family"]!.GetValue<string>());

        // A failed sweep (its one EMF document per run says so) notifies the alarm topic.
        var alarm = Properties(resources, "AlarmComplianceSweepFailed");
        Assert.Equal(WorkerCloudWatchMetrics.ComplianceSweepFailed, alarm["MetricName"]!.GetValue<string>());
        Assert.Equal(("Maximum", 3600, 1), (alarm["Statistic"]!.GetValue<string>(), alarm["Period"]!.GetValue<int>(), alarm["Threshold"]!.GetValue<int>()));
        Assert.Equal("notBreaching", alarm["TreatMissingData"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_sweeps_role_may_delete_and_it_reads_only_through_the_id_index()
    {
        var resources = await PlanAsync();

        var streamActions = Statements(resources["TaskRole"]!).SelectMany(Actions).ToList();
        Assert.DoesNotContain("dynamodb:DeleteItem", streamActions);
        Assert.DoesNotContain("dynamodb:Scan", streamActions);

        var sweep = Statements(resources["ComplianceSweepTaskRole"]!).ToDictionary(s => s["Sid"]!.GetValue<string>());
        Assert.Equal(["ReadPostIds", "RemoveNonCompliantPosts", "KeepSweepState"], sweep.Keys);
        Assert.Equal(["dynamodb:Scan", "dynamodb:Query"], Actions(sweep["ReadPostIds"]));
        Assert.Equal(
            """[{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/twitterstream-posts/index/id-index"}]""",
            sweep["ReadPostIds"]["Resource"]!.ToJsonString());
        Assert.Equal(["dynamodb:DeleteItem", "dynamodb:UpdateItem"], Actions(sweep["RemoveNonCompliantPosts"]));
        Assert.Equal("""[{"Fn::GetAtt":["TablePosts","Arn"]}]""", sweep["RemoveNonCompliantPosts"]["Resource"]!.ToJsonString());
        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem"], Actions(sweep["KeepSweepState"]));
        Assert.Equal("""{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["#twitterstream"]}}""", sweep["KeepSweepState"]["Condition"]!.ToJsonString());

        var policyFile = JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "compliance-task-role-policy.json")))!;
        Assert.Equal(
            ["arn:aws:dynamodb:us-east-1:111122223333:table/twitterstream-posts/index/id-index"],
            policyFile["Statement"]![0]!["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task EventBridge_may_start_only_the_sweeps_task_on_the_stacks_cluster_passing_only_its_roles()
    {
        var resources = await PlanAsync();

        var role = resources["ComplianceSweepScheduleRole"]!;
        Assert.Equal("events.amazonaws.com", role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>());
        var statements = Statements(role).ToDictionary(s => s["Sid"]!.GetValue<string>());
        Assert.Equal(["ecs:RunTask"], Actions(statements["RunScheduledTask"]));
        Assert.Equal(
            """[{"Fn::Sub":"arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/twitterstream-worker-compliance-sweep:*"}]""",
            statements["RunScheduledTask"]["Resource"]!.ToJsonString());
        Assert.Equal("""{"ArnEquals":{"ecs:cluster":{"Fn::GetAtt":["Cluster","Arn"]}}}""", statements["RunScheduledTask"]["Condition"]!.ToJsonString());
        Assert.Equal(["iam:PassRole"], Actions(statements["PassTaskRoles"]));
        Assert.Equal(
            """[{"Fn::GetAtt":["ExecutionRole","Arn"]},{"Fn::GetAtt":["ComplianceSweepTaskRole","Arn"]}]""",
            statements["PassTaskRoles"]["Resource"]!.ToJsonString());
    }

    [Fact]
    public async Task Without_a_schedule_in_the_manifest_there_is_no_sweep_task_rule_or_role()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => m["resources"]!.AsObject().Remove("compliance-sweep"));

        var resources = await PlanAsync(manifest);

        Assert.DoesNotContain(resources, r => r.Key.StartsWith("ComplianceSweep", StringComparison.Ordinal));
        Assert.False(resources.ContainsKey("AlarmComplianceSweepFailed"));
        Assert.False(File.Exists(Path.Combine(_bed.Out, "compliance-task-role-policy.json")));
    }

    [Theory]
    [InlineData("every day", "has schedule 'every day': use an EventBridge expression such as rate(1 day)")]
    [InlineData("rate(1 day)", null)]
    public async Task A_schedule_that_is_not_an_EventBridge_expression_is_refused_with_one_line(string schedule, string? error)
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => DeployManifests.Resource(m, ManifestSchema.ScheduledTask.Type)[ManifestSchema.ScheduledTask.Schedule] = schedule);

        var run = await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");

        if (error is null)
        {
            Assert.True(run.ExitCode == 0, run.Error);
        }
        else
        {
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains(error, run.Error, StringComparison.Ordinal);
        }
    }
}
