using System.Text.Json;
using System.Text.Json.Nodes;
using TwitterStream.Harness;
using TwitterStream.LocalTools;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// AWS's CloudFormation resource specification (version 117), as shipped in <c>@aws-cdk/cfnspec@2.72.1</c>, and a
/// checker of templates against it: resource types and properties exist, required properties are present, and values
/// have the specified primitive, list, map and property types, recursively. Intrinsic functions are checked for their
/// targets (Ref to a parameter, resource or pseudo parameter; GetAtt to a specified attribute) instead of their type.
/// </summary>
public sealed class CloudFormationSpecification
{
    public static readonly NpmTarball Distribution = new(
        PackageSpec: "@aws-cdk/cfnspec@2.72.1",
        Sha256: "fc5567023e4c88a7307aaff1d0312a9fc7ba8364047d3c0fd158fc4840f1282b",
        FolderInTarball: "package/spec/",
        CacheFolderName: "cfnspec-2.72.1",
        MarkerFile: "specification.json");

    private static readonly SemaphoreSlim LoadLock = new(1, 1);
    private static CloudFormationSpecification? _loaded;

    private readonly JsonObject _resourceTypes;
    private readonly JsonObject _propertyTypes;

    private CloudFormationSpecification(JsonObject spec)
    {
        Version = spec["ResourceSpecificationVersion"]!.GetValue<string>();
        _resourceTypes = spec["ResourceTypes"]!.AsObject();
        _propertyTypes = spec["PropertyTypes"]!.AsObject();
    }

    public string Version { get; }

    public static async Task<CloudFormationSpecification> LoadAsync(CancellationToken cancellationToken)
    {
        await LoadLock.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is null)
            {
                var folder = await Distribution.EnsureExtractedAsync(cancellationToken);
                await using var file = File.OpenRead(Path.Combine(folder, Distribution.MarkerFile));
                _loaded = new CloudFormationSpecification((await JsonNode.ParseAsync(file, cancellationToken: cancellationToken))!.AsObject());
            }

            return _loaded;
        }
        finally
        {
            LoadLock.Release();
        }
    }

    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    /// <summary>Every way <paramref name="template"/> departs from the specification, one message each.</summary>
    public IReadOnlyList<string> Check(JsonObject template)
    {
        var errors = new List<string>();
        var parameters = template["Parameters"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
        var conditions = template["Conditions"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
        var resources = template["Resources"]?.AsObject() ?? [];
        var context = new TemplateContext(parameters, resources, errors);
        foreach (var (logicalId, node) in resources)
        {
            var type = node?["Type"]?.GetValue<string>() ?? "";
            if (_resourceTypes[type] is not JsonObject resourceSpec)
            {
                errors.Add($"{logicalId}: unknown resource type '{type}'");
                continue;
            }

            if (node!["Condition"] is { } condition && !conditions.Contains(condition.GetValue<string>()))
            {
                errors.Add($"{logicalId}: unknown condition '{condition}'");
            }

            CheckProperties(context, $"{logicalId}.Properties", type, resourceSpec["Properties"]!.AsObject(), node["Properties"] as JsonObject ?? []);
        }

        foreach (var (name, output) in template["Outputs"]?.AsObject() ?? [])
        {
            CheckIntrinsics(context, $"Outputs.{name}", output!["Value"]);
        }

        return errors;
    }

    private sealed record TemplateContext(HashSet<string> Parameters, JsonObject Resources, List<string> Errors);

    private void CheckProperties(TemplateContext context, string path, string resourceType, JsonObject specProperties, JsonObject properties)
    {
        foreach (var (name, value) in properties)
        {
            if (specProperties[name] is not JsonObject propertySpec)
            {
                context.Errors.Add($"{path}.{name}: no such property");
                continue;
            }

            CheckValue(context, $"{path}.{name}", resourceType, propertySpec, value);
        }

        foreach (var (name, propertySpec) in specProperties)
        {
            // A few property types in the specification (CloudWatch's MetricDataQuery's parts) leave Required out: not required.
            if (propertySpec?["Required"]?.GetValue<bool>() == true && properties[name] is null)
            {
                context.Errors.Add($"{path}.{name}: required property missing");
            }
        }
    }

    private void CheckValue(TemplateContext context, string path, string resourceType, JsonObject spec, JsonNode? value)
    {
        if (IsIntrinsic(value))
        {
            CheckIntrinsics(context, path, value);
            return;
        }

        if (spec["PrimitiveType"] is { } primitive)
        {
            CheckPrimitive(context, path, primitive.GetValue<string>(), value);
            return;
        }

        switch (spec["Type"]?.GetValue<string>())
        {
            case "List":
                if (value is not JsonArray list)
                {
                    context.Errors.Add($"{path}: expected a list");
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    CheckItem(context, $"{path}[{i}]", resourceType, spec, list[i]);
                }

                return;
            case "Map":
                if (value is not JsonObject map)
                {
                    context.Errors.Add($"{path}: expected a map");
                    return;
                }

                foreach (var (key, item) in map)
                {
                    CheckItem(context, $"{path}.{key}", resourceType, spec, item);
                }

                return;
            case { } propertyType:
                CheckPropertyType(context, path, resourceType, propertyType, value);
                return;
            default:
                context.Errors.Add($"{path}: the specification gives no type");
                return;
        }
    }

    private void CheckItem(TemplateContext context, string path, string resourceType, JsonObject spec, JsonNode? item)
    {
        if (IsIntrinsic(item))
        {
            CheckIntrinsics(context, path, item);
        }
        else if (spec["PrimitiveItemType"] is { } primitive)
        {
            CheckPrimitive(context, path, primitive.GetValue<string>(), item);
        }
        else
        {
            CheckPropertyType(context, path, resourceType, spec["ItemType"]!.GetValue<string>(), item);
        }
    }

    private void CheckPropertyType(TemplateContext context, string path, string resourceType, string typeName, JsonNode? value)
    {
        var spec = _propertyTypes[$"{resourceType}.{typeName}"] ?? _propertyTypes[typeName];
        if (spec?["Properties"] is not JsonObject properties)
        {
            context.Errors.Add($"{path}: the specification has no property type '{typeName}'");
            return;
        }

        if (value is not JsonObject obj)
        {
            context.Errors.Add($"{path}: expected an object of type {typeName}");
            return;
        }

        CheckProperties(context, path, resourceType, properties, obj);
    }

    private static void CheckPrimitive(TemplateContext context, string path, string primitive, JsonNode? value)
    {
        var kind = value?.GetValueKind();
        var ok = primitive switch
        {
            "String" or "Timestamp" => kind == JsonValueKind.String,
            "Integer" or "Long" => kind == JsonValueKind.Number && value!.AsValue().TryGetValue<long>(out _),
            "Double" => kind == JsonValueKind.Number,
            "Boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "Json" => kind == JsonValueKind.Object,
            _ => false,
        };
        if (!ok)
        {
            context.Errors.Add($"{path}: expected {primitive}, found {kind?.ToString() ?? "null"}");
        }
    }

    private static bool IsIntrinsic(JsonNode? value) =>
        value is JsonObject { Count: 1 } obj && obj.Single().Key is var key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal));

    private void CheckIntrinsics(TemplateContext context, string path, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when IsIntrinsic(obj):
                var (function, argument) = obj.Single();
                if (function == "Ref")
                {
                    var target = argument!.GetValue<string>();
                    if (!context.Parameters.Contains(target) && context.Resources[target] is null && !PseudoParameters.Contains(target))
                    {
                        context.Errors.Add($"{path}: Ref to unknown '{target}'");
                    }
                }
                else if (function == "Fn::GetAtt")
                {
                    var resource = argument![0]!.GetValue<string>();
                    var attribute = argument[1]!.GetValue<string>();
                    var type = context.Resources[resource]?["Type"]?.GetValue<string>();
                    if (type is null || _resourceTypes[type]?["Attributes"]?[attribute] is null)
                    {
                        context.Errors.Add($"{path}: GetAtt {resource}.{attribute} does not exist");
                    }
                }
                else
                {
                    CheckIntrinsics(context, path, argument);
                }

                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    CheckIntrinsics(context, path, child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CheckIntrinsics(context, path, child);
                }

                break;
        }
    }
}
