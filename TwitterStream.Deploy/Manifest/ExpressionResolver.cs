using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TwitterStream.Deploy.Manifest;

/// <summary>
/// Resolves the <c>{resource.path}</c> expressions in a project's environment, following the manifest contract:
/// <c>{p.value}</c> of a parameter (secret → ECS secret, otherwise the user's value or the default),
/// <c>{r.property}</c> of our own resources, <c>{project.bindings.name.targetPort}</c> → the Fargate container port.
/// </summary>
internal sealed partial class ExpressionResolver(AspireManifest manifest, Func<ManifestParameter, string> plainParameterValue)
{
    [GeneratedRegex(@"\{([^{}.]+)\.([^{}]+)\}")]
    private static partial Regex Expression();

    public ContainerEnvironment Resolve(ManifestProject project)
    {
        var plain = new List<KeyValuePair<string, string>>();
        var secrets = new List<KeyValuePair<string, ManifestParameter>>();
        var tables = new HashSet<ManifestTable>();
        foreach (var (name, raw) in project.Environment)
        {
            var whole = Expression().Match(raw);
            if (whole.Success && whole.Length == raw.Length
                && FindParameter(whole.Groups[1].Value) is { Secret: true } secret
                && whole.Groups[2].Value == "value")
            {
                secrets.Add(new(name, secret));
                continue;
            }

            var value = Expression().Replace(raw, m => ResolveOne(project, name, m, tables));
            plain.Add(new(name, value));
        }

        return new ContainerEnvironment(
            plain.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
            secrets.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
            tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList());
    }

    private string ResolveOne(ManifestProject project, string variable, Match match, HashSet<ManifestTable> tables)
    {
        var resourceName = match.Groups[1].Value;
        var path = match.Groups[2].Value;
        if (FindParameter(resourceName) is { } parameter && path == "value")
        {
            return parameter.Secret
                ? throw new DeployError(
                    $"manifest resource '{project.Name}' env {variable} embeds secret parameter '{parameter.Name}' in a longer value: a secret can only be a whole variable (it becomes an ECS secret).")
                : plainParameterValue(parameter);
        }

        if (manifest.Tables.FirstOrDefault(t => t.Name == resourceName) is { } table && Scalar(table.Properties, path) is { } tableValue)
        {
            tables.Add(table);
            return tableValue;
        }

        if (manifest.Service.Name == resourceName && Scalar(manifest.Service.Properties, path) is { } serviceValue)
        {
            return serviceValue;
        }

        // Fargate exposes one container port, so only the http binding maps onto it; another binding (say https)
        // would put a second listener on the same port.
        if (manifest.Service.Project == resourceName && path == "bindings.http.targetPort")
        {
            return manifest.Service.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new DeployError(
            $"manifest resource '{project.Name}' env {variable} uses expression '{match.Value}', which the deploy tool does not understand: use {{parameter.value}}, {{table.property}} or {{project.bindings.http.targetPort}}.");
    }

    private ManifestParameter? FindParameter(string name) => manifest.Parameters.FirstOrDefault(p => p.Name == name);

    private static string? Scalar(JsonObject properties, string property) =>
        properties[property] is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;
}
