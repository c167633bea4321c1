using TwitterStream.Contracts;
using System.Text.Json.Nodes;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The Fargate task definition, in CloudFormation's property names. <see cref="PlanJson.CamelCase"/> turns the same
/// object into <c>register-task-definition</c> input, since the two differ only in the case of the first letter.
/// </summary>
internal sealed class TaskDefinitionBuilder(
    AspireManifest manifest, DeploymentNames names, ContainerEnvironment environment, IamPolicyBuilder policies, PlanSettings settings)
{
    /// <summary>
    /// The worker binary checks its own /health endpoint, so the image needs no curl or shell. It is the image's
    /// entrypoint either way: the Native AOT executable, or the JIT image's apphost (<see cref="Aws.ImageCompilation"/>).
    /// </summary>
    public static readonly string[] HealthCheckCommand = ["CMD", "/app/TwitterStream.Worker", "--health-check"];

    /// <summary>The non-root <c>app</c> user of Microsoft's .NET images, by id so no passwd lookup is needed.</summary>
    public const string ContainerUser = "1654";

    /// <summary>
    /// The root filesystem is read-only and a Fargate bind mount is root-owned 0755, so the non-root user gets no
    /// writable /tmp; turning off the runtime's diagnostics IPC (which creates its socket in /tmp) lets .NET start.
    /// </summary>
    public static readonly KeyValuePair<string, string> ReadOnlyRootSetting = new("DOTNET_EnableDiagnostics", "0");

    public JsonObject Build(RenderTarget target, string imageConcrete)
    {
        var service = manifest.Service;
        return new JsonObject
        {
            ["Family"] = names.TaskFamily,
            ["RequiresCompatibilities"] = new JsonArray("FARGATE"),
            ["NetworkMode"] = "awsvpc",
            ["Cpu"] = service.Cpu,
            ["Memory"] = service.Memory,
            ["RuntimePlatform"] = new JsonObject { ["CpuArchitecture"] = settings.Cost.CpuArchitecture, ["OperatingSystemFamily"] = "LINUX" },
            ["ExecutionRoleArn"] = target.GetAtt(DeploymentNames.ExecutionRoleLogicalId, "Arn", $"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{names.ExecutionRoleNamePattern}"),
            ["TaskRoleArn"] = target.GetAtt(DeploymentNames.TaskRoleLogicalId, "Arn", $"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{names.TaskRoleNamePattern}"),
            ["ContainerDefinitions"] = new JsonArray(Container(target, imageConcrete)),
        };
    }

    /// <summary>
    /// A scheduled command of the same image (the compliance sweep): the worker's environment and secrets, its own
    /// family and task role, the command, and no port or health check (it serves nothing and exits when done).
    /// </summary>
    public JsonObject BuildScheduled(RenderTarget target, string imageConcrete, ManifestScheduledTask task)
    {
        var definition = Build(target, imageConcrete);
        definition["Family"] = names.ScheduledTaskFamily(task);
        definition["TaskRoleArn"] = target.GetAtt(
            DeploymentNames.ScheduledTaskRoleLogicalId(task), "Arn", $"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{names.ScheduledTaskRoleNamePattern(task)}");
        var container = definition["ContainerDefinitions"]![0]!.AsObject();
        container.Remove("PortMappings");
        container.Remove("HealthCheck");
        container["Command"] = new JsonArray([.. task.Command.Select(a => (JsonNode)JsonValue.Create(a))]);
        container["LogConfiguration"]!["Options"]!["awslogs-stream-prefix"] = task.Name.ToLowerInvariant();
        return definition;
    }

    private JsonObject Container(RenderTarget target, string imageConcrete)
    {
        var service = manifest.Service;
        var environmentList = new JsonArray();
        // The deployment's name is the dimension of the worker's CloudWatch metrics, which the stack's alarms and dashboard read.
        IEnumerable<KeyValuePair<string, string>> added = [ReadOnlyRootSetting, new(WorkerVariables.DeploymentName, names.Stack)];
        var plain = environment.Plain.Concat(added.Where(a => environment.Plain.All(e => e.Key != a.Key)));
        foreach (var (name, value) in plain.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            environmentList.Add(new JsonObject { ["Name"] = name, ["Value"] = value });
        }

        var secretList = new JsonArray();
        foreach (var (name, parameter) in environment.Secrets)
        {
            secretList.Add(new JsonObject
            {
                ["Name"] = name,
                ["ValueFrom"] = target.Ref(
                    DeploymentNames.SecretLogicalId(parameter),
                    settings.SecretArns.TryGetValue(parameter.Name, out var fullArn) ? fullArn : policies.SecretArnPattern(parameter)),
            });
        }

        return new JsonObject
        {
            ["Name"] = names.Project,
            ["Image"] = target.Parameter(TemplateBuilder.ImageUriParameter, imageConcrete),
            ["Essential"] = true,
            ["User"] = ContainerUser,
            ["ReadonlyRootFilesystem"] = true,
            ["PortMappings"] = new JsonArray(new JsonObject { ["ContainerPort"] = service.ContainerPort, ["Protocol"] = "tcp" }),
            ["Environment"] = environmentList,
            ["Secrets"] = secretList,
            ["HealthCheck"] = new JsonObject
            {
                ["Command"] = new JsonArray(HealthCheckCommand.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["Interval"] = 30,
                ["Timeout"] = 5,
                ["Retries"] = 3,
                ["StartPeriod"] = 60,
            },
            ["StopTimeout"] = service.StopTimeoutSeconds,
            ["LogConfiguration"] = new JsonObject
            {
                ["LogDriver"] = "awslogs",
                ["Options"] = new JsonObject
                {
                    ["awslogs-group"] = target.Ref(DeploymentNames.LogGroupLogicalId, names.LogGroup),
                    ["awslogs-region"] = target.Region(),
                    ["awslogs-stream-prefix"] = names.Project,
                },
            },
        };
    }
}
