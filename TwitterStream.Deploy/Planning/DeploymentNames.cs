using System.Globalization;
using System.Text.RegularExpressions;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// Every AWS name the deployment uses, derived from the stack name and the manifest, so that plan, deploy and destroy
/// agree on them without looking anything up.
/// </summary>
internal sealed partial class DeploymentNames
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex StackNamePattern();

    public DeploymentNames(string stackName, AspireManifest manifest)
    {
        if (!StackNamePattern().IsMatch(stackName))
        {
            throw new DeployError($"stack name '{stackName}' is not usable: use 1-31 lowercase letters, digits and '-', starting with a letter.");
        }

        Stack = stackName;
        Project = manifest.Service.Project.ToLowerInvariant();
    }

    public string Stack { get; }

    /// <summary>The project's manifest name, used for the container, the ECS service and the log stream prefix.</summary>
    public string Project { get; }

    public string Repository => $"{Stack}/{Project}";

    public string Cluster => Stack;

    public string Service => Project;

    public string TaskFamily => $"{Stack}-{Project}";

    public string LogGroup => $"/ecs/{Stack}/{Project}";

    /// <summary>IAM names are global; the region keeps two regional deployments of one stack apart.</summary>
    public string ExecutionRoleNamePattern => $"{Stack}-{Project}-execution-${{AWS::Region}}";

    public string TaskRoleNamePattern => $"{Stack}-{Project}-task-${{AWS::Region}}";

    public string AlarmTopic => $"{Stack}-{Project}-alarms";

    public string Dashboard => $"{Stack}-{Project}";

    /// <summary>A scheduled task's own task definition family (the sweep: <c>twitterstream-worker-compliance-sweep</c>).</summary>
    public string ScheduledTaskFamily(ManifestScheduledTask task) => $"{TaskFamily}-{task.Name.ToLowerInvariant()}";

    /// <summary>Its role; short, as IAM names are 64 characters at most and the stack's name may take 31.</summary>
    public string ScheduledTaskRoleNamePattern(ManifestScheduledTask task) => $"{Stack}-{Abbreviation(task)}-task-${{AWS::Region}}";

    /// <summary>The role EventBridge takes to start the task.</summary>
    public string ScheduleRoleNamePattern(ManifestScheduledTask task) => $"{Stack}-{Abbreviation(task)}-run-${{AWS::Region}}";

    public static string ScheduledTaskDefinitionLogicalId(ManifestScheduledTask task) => Pascal(task.Name) + "TaskDefinition";

    public static string ScheduledTaskRoleLogicalId(ManifestScheduledTask task) => Pascal(task.Name) + "TaskRole";

    public static string ScheduleLogicalId(ManifestScheduledTask task) => Pascal(task.Name) + "Schedule";

    public static string ScheduleRoleLogicalId(ManifestScheduledTask task) => Pascal(task.Name) + "ScheduleRole";

    /// <summary>The first letters of the task name's parts (compliance-sweep: cs), at most 8.</summary>
    private static string Abbreviation(ManifestScheduledTask task) => string.Concat(
        task.Name.ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries).Select(part => part[0]).Take(8));

    public string SecretName(ManifestParameter parameter) => $"{Stack}/{parameter.Name}";

    public static string SecretLogicalId(ManifestParameter parameter) => "Secret" + Pascal(parameter.Name);

    public static string TableLogicalId(ManifestTable table) => "Table" + Pascal(table.Name);

    public const string RepositoryLogicalId = "Repository";
    public const string LogGroupLogicalId = "LogGroup";
    public const string ClusterLogicalId = "Cluster";
    public const string ExecutionRoleLogicalId = "ExecutionRole";
    public const string TaskRoleLogicalId = "TaskRole";
    public const string TaskDefinitionLogicalId = "TaskDefinition";
    public const string ServiceLogicalId = "Service";
    public const string AlarmTopicLogicalId = "AlarmTopic";
    public const string AlarmEmailLogicalId = "AlarmEmailSubscription";
    public const string DashboardLogicalId = "Dashboard";

    private static string Pascal(string name) => string.Concat(
        name.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}
