using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using TwitterStream.Deploy.Manifest;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The stack's alarms on the worker's EMF metrics and on ECS's own, all notifying one SNS topic (when they fire and when
/// they clear), and the topic's optional email subscription. CloudWatch publishes to a topic of the same account
/// without a topic policy, and the alarms need no role: least privilege is unchanged.
/// </summary>
internal sealed class AlarmsBuilder(AspireManifest manifest, DeploymentNames names, string? alarmEmail)
{
    public const string NothingStored = "AlarmNothingStored";
    public const string StreamDisconnected = "AlarmStreamDisconnected";
    public const string NoRunningTask = "AlarmNoRunningTask";
    public const string WriteRetries = "AlarmWriteRetries";
    public const string XUsage = "AlarmXUsage";
    public const string Budget = "AlarmBudget";
    public const string ComplianceSweepFailed = "AlarmComplianceSweepFailed";

    private AlarmThresholds Thresholds => manifest.Service.Alarms;

    /// <summary>The topic, its subscription when an email was given, and the alarms, by logical id.</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> Resources()
    {
        yield return new(DeploymentNames.AlarmTopicLogicalId, Resource("AWS::SNS::Topic", new JsonObject
        {
            ["TopicName"] = names.AlarmTopic,
            ["DisplayName"] = $"TwitterStream {names.Stack} alarms",
        }));
        if (alarmEmail is not null)
        {
            yield return new(DeploymentNames.AlarmEmailLogicalId, Resource("AWS::SNS::Subscription", new JsonObject
            {
                ["TopicArn"] = new JsonObject { ["Ref"] = DeploymentNames.AlarmTopicLogicalId },
                ["Protocol"] = "email",
                ["Endpoint"] = alarmEmail,
            }));
        }

        foreach (var alarm in Alarms())
        {
            yield return alarm;
        }
    }

    /// <summary>The logical ids of the alarms the stack has.</summary>
    public IEnumerable<string> AlarmIds => Alarms().Select(a => a.Key);

    public string AlarmName(string logicalId) => $"{names.Stack}-{names.Project}-{logicalId["Alarm".Length..].ToLowerInvariant()}";

    private IEnumerable<KeyValuePair<string, JsonObject>> Alarms()
    {
        var t = Thresholds;
        yield return Alarm(NothingStored,
            $"Over {t.StoredMinutes} min the stream stayed connected and at least {t.StoredMinKeptPosts} matching posts arrived, but none was stored. Check the worker's log for DynamoDB errors, the table, and the task role.",
            new JsonObject
            {
                ["Metrics"] = new JsonArray(
                    Expression($"IF(kept >= {t.StoredMinKeptPosts} AND connected >= 1 AND stored <= 0, 1, 0)", "nothing stored while posts arrive"),
                    Query("kept", M.PostsKept, "Sum", t.StoredMinutes * 60),
                    Query("stored", M.PostsStored, "Sum", t.StoredMinutes * 60),
                    Query("connected", M.StreamConnected, "Minimum", t.StoredMinutes * 60)),
                ["EvaluationPeriods"] = 1,
                ["Threshold"] = 1,
                ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
                ["TreatMissingData"] = "notBreaching",
            });
        yield return Alarm(StreamDisconnected,
            $"The stream has been disconnected for {t.DisconnectedMinutes} min without a budget or usage-cap pause. Check the log for X's answers (401/403: credentials; 429: rate or usage cap) and the task's network.",
            new JsonObject
            {
                ["Metrics"] = new JsonArray(
                    Expression("IF(connected < 1 AND paused < 1, 1, 0)", "disconnected, not paused"),
                    Query("connected", M.StreamConnected, "Maximum", 60),
                    Query("paused", M.StreamPaused, "Maximum", 60)),
                ["EvaluationPeriods"] = t.DisconnectedMinutes,
                ["DatapointsToAlarm"] = t.DisconnectedMinutes,
                ["Threshold"] = 1,
                ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
                ["TreatMissingData"] = "notBreaching",
            });
        if (manifest.Service.DesiredCount > 0)
        {
            // ECS reports CPUUtilization per service every minute while a task runs; no sample at all means no task.
            yield return Alarm(NoRunningTask,
                $"No task of the service has run for {t.NoTaskMinutes} min. Check the service's events in the ECS console (image pull, secrets, health check, stopped reason).",
                new JsonObject
                {
                    ["Namespace"] = "AWS/ECS",
                    ["MetricName"] = "CPUUtilization",
                    ["Dimensions"] = new JsonArray(
                        new JsonObject { ["Name"] = "ClusterName", ["Value"] = new JsonObject { ["Ref"] = DeploymentNames.ClusterLogicalId } },
                        new JsonObject { ["Name"] = "ServiceName", ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(DeploymentNames.ServiceLogicalId, "Name") } }),
                    ["Statistic"] = "SampleCount",
                    ["Period"] = 60,
                    ["EvaluationPeriods"] = t.NoTaskMinutes,
                    ["DatapointsToAlarm"] = t.NoTaskMinutes,
                    ["Threshold"] = 1,
                    ["ComparisonOperator"] = "LessThanThreshold",
                    ["TreatMissingData"] = "breaching",
                });
        }

        yield return Alarm(WriteRetries,
            $"DynamoDB writes were retried at least {t.WriteRetriesPerMinute} times a minute for {t.WriteRetriesMinutes} min. Check throttling on the table and the log's write errors; the buffer depth shows whether posts pile up.",
            WorkerMetric(M.WriteRetries, "Sum", 60, t.WriteRetriesMinutes, t.WriteRetriesPerMinute));
        yield return Alarm(XUsage,
            $"The X project has used {t.UsagePercent} % of its monthly cap. Raise the cap or narrow FILTER; at the cap X refuses the stream until the reset day.",
            WorkerMetric(M.XUsagePercent, "Maximum", 300, 1, t.UsagePercent));
        yield return Alarm(Budget,
            $"The worker has received {t.UsagePercent} % of MONTHLY_POST_BUDGET this billing cycle. Raise the budget or narrow FILTER; at the budget the worker pauses until the cycle resets.",
            WorkerMetric(M.BudgetPercent, "Maximum", 300, 1, t.UsagePercent));
        if (manifest.ScheduledTasks.Count > 0)
        {
            // The sweep writes one document when it ends: an hour's period sees it; no document is no sweep, not a failure.
            yield return Alarm(ComplianceSweepFailed,
                "A compliance sweep failed: it deleted nothing for the X job it was on and the next run checks those posts again. Read the sweep's Error line (log stream prefix compliance-sweep): an X refusal, a failed or expired job, or a DynamoDB error.",
                WorkerMetric(M.ComplianceSweepFailed, "Maximum", 3600, 1, 1));
        }
    }

    private KeyValuePair<string, JsonObject> Alarm(string logicalId, string description, JsonObject properties)
    {
        var topic = new JsonObject { ["Ref"] = DeploymentNames.AlarmTopicLogicalId };
        var alarm = new JsonObject
        {
            ["AlarmName"] = AlarmName(logicalId),
            ["AlarmDescription"] = description,
            ["ActionsEnabled"] = true,
            ["AlarmActions"] = new JsonArray(topic.DeepClone()),
            ["OKActions"] = new JsonArray(topic.DeepClone()),
        };
        foreach (var (key, value) in properties)
        {
            alarm[key] = value?.DeepClone();
        }

        return new(logicalId, Resource("AWS::CloudWatch::Alarm", alarm));
    }

    private JsonObject WorkerMetric(string metric, string statistic, int period, int periods, int threshold) => new()
    {
        ["Namespace"] = M.Namespace,
        ["MetricName"] = metric,
        ["Dimensions"] = new JsonArray(Dimension()),
        ["Statistic"] = statistic,
        ["Period"] = period,
        ["EvaluationPeriods"] = periods,
        ["DatapointsToAlarm"] = periods,
        ["Threshold"] = threshold,
        ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
        // No figure means nothing to judge (X's usage not read yet, no budget, or no task: another alarm's case).
        ["TreatMissingData"] = "notBreaching",
    };

    private JsonObject Dimension() => new() { ["Name"] = M.DeploymentDimension, ["Value"] = names.Stack };

    private static JsonObject Expression(string expression, string label) => new()
    {
        ["Id"] = "alarm",
        ["Expression"] = expression,
        ["Label"] = label,
        ["ReturnData"] = true,
    };

    private JsonObject Query(string id, string metric, string statistic, int period) => new()
    {
        ["Id"] = id,
        ["MetricStat"] = new JsonObject
        {
            ["Metric"] = new JsonObject
            {
                ["Namespace"] = M.Namespace,
                ["MetricName"] = metric,
                ["Dimensions"] = new JsonArray(Dimension()),
            },
            ["Period"] = period,
            ["Stat"] = statistic,
        },
        ["ReturnData"] = false,
    };

    private static JsonObject Resource(string type, JsonObject properties) => new() { ["Type"] = type, ["Properties"] = properties };
}
