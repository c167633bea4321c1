using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Tests.Deploy;

/// <summary>The alarms, their SNS topic and the dashboard that <c>plan</c> adds to the stack, from the manifest's thresholds.</summary>
public sealed class MonitoringTemplateTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<JsonObject> ResourcesAsync(string folder, params string[] extra)
    {
        var output = Path.Combine(_bed.Root, folder);
        string[] manifest = extra.Contains("--manifest") ? [] : ["--manifest", DeployManifests.CommittedPath];
        var run = await _bed.RunAsync(["plan", .. manifest, "--out", output, "--region", "eu-west-1", .. extra]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(output, "template.json")))!["Resources"]!.AsObject();
    }

    private static JsonObject Properties(JsonObject resources, string id) => resources[id]!["Properties"]!.AsObject();

    private static IEnumerable<string> OfType(JsonObject resources, string type) =>
        resources.Where(r => r.Value!["Type"]!.GetValue<string>() == type).Select(r => r.Key);

    /// <summary>Each metric query's (metric, statistic, period), keyed by its id.</summary>
    private static Dictionary<string, (string Metric, string Stat, int Period)> Queries(JsonObject alarm) =>
        alarm["Metrics"]!.AsArray().Where(q => q!["MetricStat"] is not null).ToDictionary(
            q => q!["Id"]!.GetValue<string>(),
            q => (q!["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>(), q["MetricStat"]!["Stat"]!.GetValue<string>(), q["MetricStat"]!["Period"]!.GetValue<int>()));

    [Fact]
    public async Task The_default_alarms_watch_the_workers_metrics_and_the_service_and_notify_one_topic()
    {
        var resources = await ResourcesAsync("default");

        Assert.Equal(["AlarmTopic"], OfType(resources, "AWS::SNS::Topic"));
        Assert.Empty(OfType(resources, "AWS::SNS::Subscription"));
        Assert.Equal(
            ["AlarmBudget", "AlarmComplianceSweepFailed", "AlarmNoRunningTask", "AlarmNothingStored", "AlarmStreamDisconnected", "AlarmWriteRetries", "AlarmXUsage"],
            OfType(resources, "AWS::CloudWatch::Alarm").Order(StringComparer.Ordinal));
        foreach (var id in OfType(resources, "AWS::CloudWatch::Alarm"))
        {
            var alarm = Properties(resources, id);
            Assert.Equal("IsFull", resources[id]!["Condition"]!.GetValue<string>());
            Assert.Equal("{\"Ref\":\"AlarmTopic\"}", Assert.Single(alarm["AlarmActions"]!.AsArray())!.ToJsonString());
            Assert.Equal("{\"Ref\":\"AlarmTopic\"}", Assert.Single(alarm["OKActions"]!.AsArray())!.ToJsonString());
            Assert.StartsWith("twitterstream-worker-", alarm["AlarmName"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(alarm["AlarmDescription"]!.GetValue<string>()));
        }

        var stored = Properties(resources, "AlarmNothingStored");
        Assert.Equal("IF(kept >= 1 AND connected >= 1 AND stored <= 0, 1, 0)", stored["Metrics"]![0]!["Expression"]!.GetValue<string>());
        Assert.Equal(
            new Dictionary<string, (string, string, int)>
            {
                ["kept"] = (M.PostsKept, "Sum", 600),
                ["stored"] = (M.PostsStored, "Sum", 600),
                ["connected"] = (M.StreamConnected, "Minimum", 600),
            },
            Queries(stored));
        Assert.All(stored["Metrics"]!.AsArray().Where(q => q!["MetricStat"] is not null), q =>
        {
            Assert.Equal(M.Namespace, q!["MetricStat"]!["Metric"]!["Namespace"]!.GetValue<string>());
            Assert.Equal("[{\"Name\":\"Deployment\",\"Value\":\"twitterstream\"}]", q["MetricStat"]!["Metric"]!["Dimensions"]!.ToJsonString());
        });

        var disconnected = Properties(resources, "AlarmStreamDisconnected");
        Assert.Equal("IF(connected < 1 AND paused < 1, 1, 0)", disconnected["Metrics"]![0]!["Expression"]!.GetValue<string>());
        Assert.Equal(5, disconnected["EvaluationPeriods"]!.GetValue<int>());
        Assert.Equal(5, disconnected["DatapointsToAlarm"]!.GetValue<int>());
        Assert.Equal((M.StreamConnected, "Maximum", 60), Queries(disconnected)["connected"]);

        var noTask = Properties(resources, "AlarmNoRunningTask");
        Assert.Equal("AWS/ECS", noTask["Namespace"]!.GetValue<string>());
        Assert.Equal("CPUUtilization", noTask["MetricName"]!.GetValue<string>());
        Assert.Equal("SampleCount", noTask["Statistic"]!.GetValue<string>());
        Assert.Equal("LessThanThreshold", noTask["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal("breaching", noTask["TreatMissingData"]!.GetValue<string>());
        Assert.Equal(
            "[{\"Name\":\"ClusterName\",\"Value\":{\"Ref\":\"Cluster\"}},{\"Name\":\"ServiceName\",\"Value\":{\"Fn::GetAtt\":[\"Service\",\"Name\"]}}]",
            noTask["Dimensions"]!.ToJsonString());

        var retries = Properties(resources, "AlarmWriteRetries");
        Assert.Equal((M.WriteRetries, "Sum", 10, 5), (retries["MetricName"]!.GetValue<string>(), retries["Statistic"]!.GetValue<string>(), retries["Threshold"]!.GetValue<int>(), retries["EvaluationPeriods"]!.GetValue<int>()));
        Assert.Equal((M.XUsagePercent, 90), (Properties(resources, "AlarmXUsage")["MetricName"]!.GetValue<string>(), Properties(resources, "AlarmXUsage")["Threshold"]!.GetValue<int>()));
        Assert.Equal((M.BudgetPercent, 90), (Properties(resources, "AlarmBudget")["MetricName"]!.GetValue<string>(), Properties(resources, "AlarmBudget")["Threshold"]!.GetValue<int>()));
        Assert.Equal("GreaterThanOrEqualToThreshold", Properties(resources, "AlarmXUsage")["ComparisonOperator"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_manifests_thresholds_reach_the_alarms_and_no_task_alarm_watches_a_service_meant_to_be_stopped()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "custom", "aspire-manifest.json"), m =>
        {
            var service = DeployManifests.Resource(m, ManifestSchema.FargateService.Type);
            service[ManifestSchema.FargateService.DesiredCount] = 0;
            service[ManifestSchema.FargateService.Alarms] = new JsonObject
            {
                [ManifestSchema.FargateService.Alarm.StoredMinutes] = 30,
                [ManifestSchema.FargateService.Alarm.StoredMinKeptPosts] = 50,
                [ManifestSchema.FargateService.Alarm.DisconnectedMinutes] = 15,
                [ManifestSchema.FargateService.Alarm.WriteRetriesPerMinute] = 100,
                [ManifestSchema.FargateService.Alarm.UsagePercent] = 75,
            };
        });

        var resources = await ResourcesAsync("custom-plan", "--manifest", manifest);

        Assert.Null(resources["AlarmNoRunningTask"]);
        var stored = Properties(resources, "AlarmNothingStored");
        Assert.Equal("IF(kept >= 50 AND connected >= 1 AND stored <= 0, 1, 0)", stored["Metrics"]![0]!["Expression"]!.GetValue<string>());
        Assert.All(Queries(stored).Values, q => Assert.Equal(1800, q.Period));
        Assert.Equal(15, Properties(resources, "AlarmStreamDisconnected")["EvaluationPeriods"]!.GetValue<int>());
        Assert.Equal(100, Properties(resources, "AlarmWriteRetries")["Threshold"]!.GetValue<int>());
        Assert.Equal(5, Properties(resources, "AlarmWriteRetries")["EvaluationPeriods"]!.GetValue<int>());
        Assert.Equal(75, Properties(resources, "AlarmXUsage")["Threshold"]!.GetValue<int>());
        Assert.Equal(75, Properties(resources, "AlarmBudget")["Threshold"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("usagePercent", 101, "alarm setting usagePercent is 101; it must be a whole number from 1 to 100.")]
    [InlineData("storedMinutes", 0, "alarm setting storedMinutes is 0; it must be a whole number from 1 to 1440.")]
    [InlineData("snoozeMinutes", 5, "has alarm setting 'snoozeMinutes', which the deploy tool does not understand")]
    public async Task A_bad_alarm_setting_in_the_manifest_is_one_line_naming_it(string key, int value, string expected)
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "bad", "aspire-manifest.json"), m =>
            DeployManifests.Resource(m, ManifestSchema.FargateService.Type)[ManifestSchema.FargateService.Alarms] = new JsonObject { [key] = value });

        var run = await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "eu-west-1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_alarm_email_subscribes_to_the_topic_and_a_bad_one_is_refused()
    {
        var resources = await ResourcesAsync("email", "--alarm-email", "ops@example.com");

        var subscription = Properties(resources, "AlarmEmailSubscription");
        Assert.Equal("email", subscription["Protocol"]!.GetValue<string>());
        Assert.Equal("ops@example.com", subscription["Endpoint"]!.GetValue<string>());
        Assert.Equal("{\"Ref\":\"AlarmTopic\"}", subscription["TopicArn"]!.ToJsonString());

        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "eu-west-1", "--alarm-email", "ops");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--alarm-email ops is not an email address", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_graphs_metrics_the_worker_writes_and_shows_every_alarm()
    {
        var resources = await ResourcesAsync("dashboard");

        var dashboard = Properties(resources, "Dashboard");
        Assert.Equal("twitterstream-worker", dashboard["DashboardName"]!.GetValue<string>());
        var text = dashboard["DashboardBody"]!["Fn::Sub"]!.GetValue<string>();
        var body = JsonNode.Parse(text
            .Replace("${AWS::Region}", "eu-west-1", StringComparison.Ordinal)
            .Replace("${AWS::AccountId}", "111122223333", StringComparison.Ordinal)
            .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal))!;
        Assert.DoesNotContain("${", body.ToJsonString(), StringComparison.Ordinal);

        var widgets = body["widgets"]!.AsArray();
        var graphed = widgets.Where(w => w!["type"]!.GetValue<string>() == "metric")
            .SelectMany(w => w!["properties"]!["metrics"]!.AsArray())
            .Select(m => (Namespace: m![0]!.GetValue<string>(), Name: m[1]!.GetValue<string>()))
            .ToList();
        var written = typeof(M).GetFields().Where(f => f.IsLiteral && f.Name is not (nameof(M.Namespace) or nameof(M.DeploymentDimension)))
            .Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.All(graphed.Where(g => g.Namespace == M.Namespace), g => Assert.Contains(g.Name, written));
        foreach (var main in new[] { M.PostsReceived, M.PostsStored, M.LatencyP99, M.StreamConnected, M.UncoveredGapSeconds, M.WriteRetries, M.PostsDeadLettered, M.BufferDepth, M.XUsagePercent, M.BudgetPercent })
        {
            Assert.Contains((M.Namespace, main), graphed);
        }

        Assert.Contains(("AWS/ECS", "CPUUtilization"), graphed);
        var alarmWidget = Assert.Single(widgets, w => w!["type"]!.GetValue<string>() == "alarm")!;
        var shown = alarmWidget["properties"]!["alarms"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var names = OfType(resources, "AWS::CloudWatch::Alarm").Select(id => Properties(resources, id)["AlarmName"]!.GetValue<string>());
        Assert.Equal(names.Select(n => $"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:{n}").Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
    }
}
