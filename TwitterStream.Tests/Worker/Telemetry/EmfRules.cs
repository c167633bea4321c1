using System.Text.Json;
using System.Text.Json.Nodes;

namespace TwitterStream.Tests.Worker.Telemetry;

/// <summary>
/// The rules of CloudWatch's Embedded Metric Format specification that a document must keep for CloudWatch Logs to
/// extract its metrics (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
/// </summary>
internal static class EmfRules
{
    /// <summary>CloudWatch's StandardUnit names.</summary>
    public static readonly HashSet<string> StandardUnits = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
        "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
        "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    /// <summary>Every rule the document breaks, one line each; empty when it is a valid EMF document.</summary>
    public static List<string> Violations(string line, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (line.Contains('\n') || line.Contains('\r'))
        {
            problems.Add("the document spans more than one line (awslogs would split it into several events)");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            problems.Add($"not a JSON object: {e.Message}");
            return problems;
        }

        if (root["_aws"] is not JsonObject aws)
        {
            problems.Add("no _aws object");
            return problems;
        }

        if (aws["Timestamp"] is not JsonValue stamp || stamp.GetValueKind() != JsonValueKind.Number || !stamp.TryGetValue<long>(out var ms))
        {
            problems.Add("_aws.Timestamp is not an integer number of milliseconds");
        }
        else
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            if (at < now.AddDays(-14) || at > now.AddHours(2))
            {
                problems.Add($"_aws.Timestamp {at:O} is outside what CloudWatch accepts (2 weeks back, 2 hours ahead of {now:O})");
            }
        }

        if (aws["CloudWatchMetrics"] is not JsonArray directives || directives.Count == 0)
        {
            problems.Add("_aws.CloudWatchMetrics is not a non-empty array");
            return problems;
        }

        foreach (var node in directives)
        {
            if (node is not JsonObject directive)
            {
                problems.Add("a metric directive is not an object");
                continue;
            }

            var ns = directive["Namespace"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
            if (ns is null or { Length: 0 or > 1024 } || ns.Contains(':'))
            {
                problems.Add($"Namespace '{ns}' must be a string of 1-1024 characters without ':'");
            }

            if (directive["Dimensions"] is not JsonArray dimensionSets)
            {
                problems.Add("Dimensions is not an array of dimension sets");
            }
            else
            {
                foreach (var set in dimensionSets)
                {
                    if (set is not JsonArray keys || keys.Any(k => k is not JsonValue kv || kv.GetValueKind() != JsonValueKind.String))
                    {
                        problems.Add("a dimension set is not an array of strings");
                        continue;
                    }

                    if (keys.Count > 30)
                    {
                        problems.Add($"a dimension set has {keys.Count} dimensions; at most 30");
                    }

                    foreach (var key in keys.Select(k => k!.GetValue<string>()))
                    {
                        if (root[key] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
                        {
                            problems.Add($"dimension '{key}' has no top-level string member");
                        }
                        else if (value.GetValue<string>().Length is 0 or > 1024)
                        {
                            problems.Add($"dimension '{key}' has a value outside 1-1024 characters");
                        }
                    }
                }
            }

            if (directive["Metrics"] is not JsonArray metrics)
            {
                problems.Add("Metrics is not an array");
                continue;
            }

            if (metrics.Count > 100)
            {
                problems.Add($"the directive has {metrics.Count} metrics; at most 100");
            }

            foreach (var metric in metrics.OfType<JsonObject>())
            {
                var name = metric["Name"] is JsonValue mn && mn.GetValueKind() == JsonValueKind.String ? mn.GetValue<string>() : null;
                if (name is null or { Length: 0 or > 1024 })
                {
                    problems.Add($"metric name '{name}' must be a string of 1-1024 characters");
                    continue;
                }

                if (metric["Unit"] is { } unit && (unit.GetValueKind() != JsonValueKind.String || !StandardUnits.Contains(unit.GetValue<string>())))
                {
                    problems.Add($"metric {name} has unit '{unit.ToJsonString()}', not a CloudWatch StandardUnit");
                }

                if (metric["StorageResolution"] is { } resolution && resolution.ToJsonString() is not ("1" or "60"))
                {
                    problems.Add($"metric {name} has StorageResolution {resolution.ToJsonString()}; only 1 or 60");
                }

                problems.AddRange(MemberValue(root, name));
            }
        }

        return problems;
    }

    private static IEnumerable<string> MemberValue(JsonObject root, string name)
    {
        switch (root[name])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                yield break;
            case JsonArray values when values.Count is > 0 and <= 100 && values.All(v => v?.GetValueKind() == JsonValueKind.Number):
                yield break;
            default:
                yield return $"metric {name} has no top-level number (or array of up to 100 numbers)";
                break;
        }
    }
}
