using System.Text.Json.Nodes;

namespace TwitterStream.Deploy.Manifest;

/// <summary>A <c>parameter.v0</c>: a value the user supplies; secret ones become Secrets Manager secrets.</summary>
internal sealed record ManifestParameter(string Name, bool Secret, string? Default);

/// <summary>Our <c>aws.dynamodb.table.v0</c>. <see cref="Properties"/> keeps the raw entry for <c>{name.property}</c> expressions.</summary>
internal sealed record ManifestTable(
    string Name,
    string TableName,
    string BillingMode,
    bool PointInTimeRecovery,
    IReadOnlyList<(string Name, string Type)> AttributeDefinitions,
    IReadOnlyList<(string Name, string KeyType)> KeySchema,
    JsonObject Properties)
{
    /// <summary>The table's global secondary indexes (the id index the compliance sweep queries).</summary>
    public IReadOnlyList<ManifestIndex> GlobalSecondaryIndexes { get; init; } = [];

    /// <summary>The attribute DynamoDB's TTL reads; null: no TTL.</summary>
    public string? TimeToLiveAttribute { get; init; }
}

/// <summary>One global secondary index of a table.</summary>
internal sealed record ManifestIndex(string IndexName, IReadOnlyList<(string Name, string KeyType)> KeySchema, string ProjectionType);

/// <summary>Our <c>aws.ecs.scheduledtask.v0</c>: a command of a project's image run on an EventBridge schedule.</summary>
internal sealed record ManifestScheduledTask(string Name, string Project, IReadOnlyList<string> Command, string Schedule);

/// <summary>A <c>project.v0</c>: the worker, with its environment as the manifest writes it (values may be expressions).</summary>
internal sealed record ManifestProject(
    string Name,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Environment);

/// <summary>Our <c>aws.fargate.service.v0</c>: the Fargate settings the AppHost chose for one project.</summary>
internal sealed record ManifestFargateService(
    string Name,
    string Project,
    string Cpu,
    string Memory,
    int DesiredCount,
    int LogRetentionInDays,
    int ContainerPort,
    string HealthCheckPath,
    int StopTimeoutSeconds,
    string CpuArchitecture,
    bool Spot,
    TwitterStream.Contracts.AlarmThresholds Alarms,
    JsonObject Properties);

/// <summary>The part of an Aspire manifest the deploy tool understands.</summary>
internal sealed record AspireManifest(
    string FilePath,
    IReadOnlyList<ManifestParameter> Parameters,
    IReadOnlyList<ManifestTable> Tables,
    IReadOnlyList<ManifestProject> Projects,
    ManifestFargateService Service)
{
    /// <summary>Commands of the service's image run on a schedule (the compliance sweep); none in older manifests.</summary>
    public IReadOnlyList<ManifestScheduledTask> ScheduledTasks { get; init; } = [];

    public ManifestProject ServiceProject => Projects.Single(p => p.Name == Service.Project);

    /// <summary>The project file, resolved the way Aspire writes it: relative to the manifest's folder.</summary>
    public string ServiceProjectFile =>
        System.IO.Path.GetFullPath(ServiceProject.Path, System.IO.Path.GetDirectoryName(FilePath)!);
}
