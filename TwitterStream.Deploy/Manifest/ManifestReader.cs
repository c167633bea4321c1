using System.Text.Json;
using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Deploy.Manifest;

/// <summary>
/// Reads <c>aspire-manifest.json</c> into <see cref="AspireManifest"/>. Anything it does not understand is an error
/// naming the resource and what was not understood, so a new resource in the AppHost never deploys half-way.
/// </summary>
internal static class ManifestReader
{
    // Aspire's own resource types; ours (the table and the Fargate service) are in ManifestSchema, shared with the AppHost.
    public const string ParameterType = "parameter.v0";
    public const string ProjectType = "project.v0";
    public const string DynamoDbTableType = ManifestSchema.Table.Type;
    public const string FargateServiceType = ManifestSchema.FargateService.Type;
    public const string ScheduledTaskType = ManifestSchema.ScheduledTask.Type;

    private static readonly string[] KnownTypes = [ParameterType, ProjectType, DynamoDbTableType, FargateServiceType, ScheduledTaskType];

    public static AspireManifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DeployError(
                $"manifest {path} not found: write it with 'dotnet run --project TwitterStream.AppHost -- --publisher manifest --output-path ../aspire-manifest/aspire-manifest.json' or pass --manifest <file>.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new DeployError($"manifest {path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new DeployError($"manifest {path} is not valid JSON: {e.Message}");
        }

        if (root["resources"] is not JsonObject resources)
        {
            throw new DeployError($"manifest {path} has no \"resources\" object.");
        }

        var parameters = new List<ManifestParameter>();
        var tables = new List<ManifestTable>();
        var projects = new List<ManifestProject>();
        var services = new List<ManifestFargateService>();
        var scheduledTasks = new List<ManifestScheduledTask>();
        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject resource)
            {
                throw new DeployError($"manifest resource '{name}' is not a JSON object.");
            }

            var type = resource["type"]?.GetValueKind() == JsonValueKind.String ? resource["type"]!.GetValue<string>() : "(none)";
            switch (type)
            {
                case ParameterType:
                    parameters.Add(ReadParameter(name, resource));
                    break;
                case ProjectType:
                    projects.Add(ReadProject(name, resource));
                    break;
                case DynamoDbTableType:
                    tables.Add(ReadTable(name, resource));
                    break;
                case FargateServiceType:
                    services.Add(ReadService(name, resource));
                    break;
                case ScheduledTaskType:
                    scheduledTasks.Add(ReadScheduledTask(name, resource));
                    break;
                default:
                    throw new DeployError(
                        $"manifest resource '{name}' has type '{type}', which the deploy tool does not understand (it knows {string.Join(", ", KnownTypes)}): remove it from the publish model or teach TwitterStream.Deploy about it.");
            }
        }

        if (services.Count != 1)
        {
            throw new DeployError($"manifest has {services.Count} '{FargateServiceType}' resources; the deploy tool deploys exactly one.");
        }

        var service = services[0];
        if (projects.All(p => p.Name != service.Project))
        {
            throw new DeployError($"manifest resource '{service.Name}' names project '{service.Project}', which is not a '{ProjectType}' resource in the manifest.");
        }

        foreach (var task in scheduledTasks.Where(t => t.Project != service.Project))
        {
            throw new DeployError(
                $"manifest resource '{task.Name}' ({ScheduledTaskType}) names project '{task.Project}': the deploy tool runs scheduled tasks from the service's image only ('{service.Project}').");
        }

        return new AspireManifest(Path.GetFullPath(path), parameters, tables, projects, service) { ScheduledTasks = scheduledTasks };
    }

    private static ManifestScheduledTask ReadScheduledTask(string name, JsonObject resource)
    {
        var schedule = RequiredString(name, ScheduledTaskType, resource, ManifestSchema.ScheduledTask.Schedule);
        if (!ManifestSchema.ScheduledTask.IsScheduleExpression(schedule))
        {
            throw new DeployError($"manifest resource '{name}' ({ScheduledTaskType}) has schedule '{schedule}': use an EventBridge expression such as rate(1 day) or cron(0 3 * * ? *).");
        }

        if (resource[ManifestSchema.ScheduledTask.Command] is not JsonArray command || command.Count == 0
            || command.Any(a => a is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw new DeployError($"manifest resource '{name}' ({ScheduledTaskType}) needs a non-empty array \"{ManifestSchema.ScheduledTask.Command}\" of strings.");
        }

        return new ManifestScheduledTask(
            name,
            RequiredString(name, ScheduledTaskType, resource, ManifestSchema.ScheduledTask.Project),
            [.. command.Select(a => a!.GetValue<string>())],
            schedule);
    }

    private static ManifestParameter ReadParameter(string name, JsonObject resource)
    {
        var input = resource["inputs"]?["value"] as JsonObject;
        var secret = input?["secret"]?.GetValueKind() == JsonValueKind.True;
        var defaultValue = input?["default"]?["value"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (input?["default"]?["generate"] is not null)
        {
            throw new DeployError($"manifest resource '{name}' ({ParameterType}) has a generated default, which the deploy tool does not understand: give it a value instead.");
        }

        return new ManifestParameter(name, secret, defaultValue);
    }

    private static ManifestProject ReadProject(string name, JsonObject resource)
    {
        var path = RequiredString(name, ProjectType, resource, "path");
        var environment = new List<KeyValuePair<string, string>>();
        if (resource["env"] is JsonObject env)
        {
            foreach (var (key, value) in env)
            {
                if (value is not JsonValue scalar || scalar.GetValueKind() != JsonValueKind.String)
                {
                    throw new DeployError($"manifest resource '{name}' ({ProjectType}) has env {key} that is not a string.");
                }

                environment.Add(new(key, scalar.GetValue<string>()));
            }
        }

        return new ManifestProject(name, path, environment);
    }

    private static ManifestTable ReadTable(string name, JsonObject resource)
    {
        var attributes = RequiredArray(name, DynamoDbTableType, resource, ManifestSchema.Table.AttributeDefinitions)
            .Select(a => (RequiredString(name, DynamoDbTableType, a, ManifestSchema.Table.EntryName), RequiredString(name, DynamoDbTableType, a, ManifestSchema.Table.AttributeType)))
            .ToList();
        var keys = RequiredArray(name, DynamoDbTableType, resource, ManifestSchema.Table.KeySchema)
            .Select(k => (RequiredString(name, DynamoDbTableType, k, ManifestSchema.Table.EntryName), RequiredString(name, DynamoDbTableType, k, ManifestSchema.Table.KeyType)))
            .ToList();
        var billingMode = RequiredString(name, DynamoDbTableType, resource, ManifestSchema.Table.BillingMode);
        if (billingMode != "PAY_PER_REQUEST")
        {
            throw new DeployError($"manifest resource '{name}' ({DynamoDbTableType}) has billingMode '{billingMode}': the deploy tool supports PAY_PER_REQUEST only.");
        }

        return new ManifestTable(
            name,
            RequiredString(name, DynamoDbTableType, resource, ManifestSchema.Table.TableName),
            billingMode,
            resource[ManifestSchema.Table.PointInTimeRecovery]?.GetValueKind() == JsonValueKind.True,
            attributes,
            keys,
            resource)
        {
            GlobalSecondaryIndexes = ReadIndexes(name, resource),
            TimeToLiveAttribute = resource[ManifestSchema.Table.TimeToLiveAttribute] is null
                ? null
                : RequiredString(name, DynamoDbTableType, resource, ManifestSchema.Table.TimeToLiveAttribute),
        };
    }

    // Indexes came with the compliance sweep: a manifest without them means a table without indexes.
    private static IReadOnlyList<ManifestIndex> ReadIndexes(string name, JsonObject resource) =>
        resource[ManifestSchema.Table.GlobalSecondaryIndexes] is null
            ? []
            : [.. RequiredArray(name, DynamoDbTableType, resource, ManifestSchema.Table.GlobalSecondaryIndexes).Select(index => new ManifestIndex(
                RequiredString(name, DynamoDbTableType, index, ManifestSchema.Table.IndexName),
                [.. RequiredArray(name, DynamoDbTableType, index, ManifestSchema.Table.KeySchema)
                    .Select(k => (RequiredString(name, DynamoDbTableType, k, ManifestSchema.Table.EntryName), RequiredString(name, DynamoDbTableType, k, ManifestSchema.Table.KeyType)))],
                RequiredString(name, DynamoDbTableType, index, ManifestSchema.Table.ProjectionType)))];

    private static ManifestFargateService ReadService(string name, JsonObject resource) => new(
        name,
        RequiredString(name, FargateServiceType, resource, ManifestSchema.FargateService.Project),
        RequiredString(name, FargateServiceType, resource, ManifestSchema.FargateService.Cpu),
        RequiredString(name, FargateServiceType, resource, ManifestSchema.FargateService.Memory),
        RequiredInt(name, resource, ManifestSchema.FargateService.DesiredCount),
        RequiredInt(name, resource, ManifestSchema.FargateService.LogRetentionInDays),
        RequiredInt(name, resource, ManifestSchema.FargateService.ContainerPort),
        RequiredString(name, FargateServiceType, resource, ManifestSchema.FargateService.HealthCheckPath),
        RequiredInt(name, resource, ManifestSchema.FargateService.StopTimeoutSeconds),
        OptionalArchitecture(name, resource),
        OptionalBool(name, resource, ManifestSchema.FargateService.Spot),
        OptionalAlarms(name, resource),
        resource);

    // Alarms came later still: a manifest without them gets the default thresholds.
    private static AlarmThresholds OptionalAlarms(string resource, JsonObject node)
    {
        var alarms = node[ManifestSchema.FargateService.Alarms];
        if (alarms is null)
        {
            return new AlarmThresholds();
        }

        if (alarms is not JsonObject settings)
        {
            throw new DeployError($"manifest resource '{resource}' ({FargateServiceType}) needs an object \"{ManifestSchema.FargateService.Alarms}\".");
        }

        var known = AlarmThresholds.Ranges.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in settings)
        {
            if (!known.Contains(key))
            {
                throw new DeployError(
                    $"manifest resource '{resource}' ({FargateServiceType}) has alarm setting '{key}', which the deploy tool does not understand (it knows {string.Join(", ", known)}).");
            }
        }

        var thresholds = AlarmThresholds.From(key => settings[key] is null ? null : RequiredInt(resource, settings, key));
        return thresholds.Problem() is { } problem
            ? throw new DeployError($"manifest resource '{resource}' ({FargateServiceType}): {problem}")
            : thresholds;
    }

    // The two cost settings came after the others: a manifest without them means x86-64 on demand, as before.
    private static string OptionalArchitecture(string resource, JsonObject node)
    {
        if (node[ManifestSchema.FargateService.CpuArchitecture] is null)
        {
            return ManifestSchema.FargateService.X86_64;
        }

        var value = RequiredString(resource, FargateServiceType, node, ManifestSchema.FargateService.CpuArchitecture);
        return value is ManifestSchema.FargateService.X86_64 or ManifestSchema.FargateService.Arm64
            ? value
            : throw new DeployError(
                $"manifest resource '{resource}' ({FargateServiceType}) has {ManifestSchema.FargateService.CpuArchitecture} '{value}': use {ManifestSchema.FargateService.X86_64} or {ManifestSchema.FargateService.Arm64}.");
    }

    private static bool OptionalBool(string resource, JsonObject node, string property) => node[property] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new DeployError($"manifest resource '{resource}' ({FargateServiceType}) needs true or false for \"{property}\"."),
    };

    private static string RequiredString(string resource, string type, JsonNode? node, string property) =>
        node?[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0
            ? v.GetValue<string>()
            : throw new DeployError($"manifest resource '{resource}' ({type}) needs a string \"{property}\".");

    private static int RequiredInt(string resource, JsonObject node, string property) =>
        node[property] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n)
            ? n
            : throw new DeployError($"manifest resource '{resource}' ({FargateServiceType}) needs an integer \"{property}\".");

    private static IEnumerable<JsonObject> RequiredArray(string resource, string type, JsonObject node, string property) =>
        node[property] is JsonArray array && array.Count > 0 && array.All(e => e is JsonObject)
            ? array.Cast<JsonObject>()
            : throw new DeployError($"manifest resource '{resource}' ({type}) needs a non-empty array \"{property}\" of objects.");
}
