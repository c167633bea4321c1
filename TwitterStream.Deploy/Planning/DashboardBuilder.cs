using System.Text.Json.Nodes;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The deployment's CloudWatch dashboard: posts per minute, latency, the stream, writes, X usage and budget, the task's
/// CPU and memory, and the alarms' states. The body is a JSON string; its region and account come from
/// <c>Fn::Sub</c>, the only <c>${…}</c> in it.
/// </summary>
internal sealed class DashboardBuilder(DeploymentNames names, AlarmsBuilder alarms)
{
    public JsonObject Resource() => new()
    {
        ["Type"] = "AWS::CloudWatch::Dashboard",
        ["Properties"] = new JsonObject
        {
            ["DashboardName"] = names.Dashboard,
            ["DashboardBody"] = new JsonObject { ["Fn::Sub"] = Body().ToJsonString() },
        },
    };

    public JsonObject Body()
    {
        var widgets = new JsonArray
        {
            Graph("Posts per minute", 0, 0, [Worker(M.PostsReceived, "Sum"), Worker(M.PostsKept, "Sum"), Worker(M.PostsStored, "Sum")]),
            Graph("Receive → stored latency (ms)", 12, 0, [Worker(M.LatencyP50, "Maximum"), Worker(M.LatencyP99, "Maximum")]),
            Graph("Stream", 0, 6, [Worker(M.StreamConnected, "Minimum"), Worker(M.StreamPaused, "Maximum"), Worker(M.Reconnects, "Sum"), Worker(M.LinesRejected, "Sum"),
                Worker(M.UncoveredGapSeconds, "Sum")]),
            Graph("Writes", 12, 6, [Worker(M.WriteRetries, "Sum"), Worker(M.PostsDeadLettered, "Sum"), Worker(M.BufferDepth, "Maximum")]),
            Graph("X usage and budget (%)", 0, 12, [Worker(M.XUsagePercent, "Maximum"), Worker(M.BudgetPercent, "Maximum")]),
            Graph("Task CPU and memory (%)", 12, 12, [Ecs("CPUUtilization"), Ecs("MemoryUtilization")]),
            new JsonObject
            {
                ["type"] = "alarm",
                ["x"] = 0,
                ["y"] = 18,
                ["width"] = 24,
                ["height"] = 3,
                ["properties"] = new JsonObject
                {
                    ["title"] = "Alarms",
                    ["alarms"] = new JsonArray(alarms.AlarmIds
                        .Select(id => (JsonNode)JsonValue.Create($"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:{alarms.AlarmName(id)}"))
                        .ToArray()),
                },
            },
        };
        return new JsonObject { ["widgets"] = widgets };
    }

    private static JsonObject Graph(string title, int x, int y, JsonArray[] metrics) => new()
    {
        ["type"] = "metric",
        ["x"] = x,
        ["y"] = y,
        ["width"] = 12,
        ["height"] = 6,
        ["properties"] = new JsonObject
        {
            ["title"] = title,
            ["view"] = "timeSeries",
            ["region"] = "${AWS::Region}",
            ["period"] = 60,
            ["metrics"] = new JsonArray(metrics.Select(m => (JsonNode)m).ToArray()),
        },
    };

    private JsonArray Worker(string metric, string statistic) =>
        new(M.Namespace, metric, M.DeploymentDimension, names.Stack, new JsonObject { ["stat"] = statistic, ["label"] = metric });

    private JsonArray Ecs(string metric) =>
        new("AWS/ECS", metric, "ClusterName", names.Cluster, "ServiceName", names.Service, new JsonObject { ["stat"] = "Average" });
}
