using Microsoft.Extensions.Configuration;
using TwitterStream.Contracts;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Parameters;

/// <summary>
/// Parameter values from the same places the AppHost reads them: the AppHost's user secrets (<c>Parameters:&lt;name&gt;</c>),
/// then <c>Parameters__&lt;name&gt;</c> environment variables (which win, as in the AppHost), then the manifest default,
/// then a prompt when a person is at the terminal. Each value is asked for at most once.
/// </summary>
internal sealed class ParameterValues
{
    private readonly IConfiguration _configuration;
    private readonly ISecretPrompt _prompt;
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public ParameterValues(ToolContext context)
    {
        const string prefix = "Parameters__";
        var fromEnvironment = context.Environment
            .Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => new KeyValuePair<string, string?>("Parameters:" + e.Key[prefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value));
        _configuration = new ConfigurationBuilder()
            .AddJsonFile(context.UserSecretsPath, optional: true, reloadOnChange: false)
            .AddInMemoryCollection(fromEnvironment)
            .Build();
        _prompt = context.Prompt;
    }

    public string Get(ManifestParameter parameter)
    {
        if (_cache.TryGetValue(parameter.Name, out var cached))
        {
            return cached;
        }

        var value = _configuration[$"Parameters:{parameter.Name}"];
        if (string.IsNullOrEmpty(value))
        {
            value = parameter.Default;
        }

        if (string.IsNullOrEmpty(value) && _prompt.CanPrompt)
        {
            value = _prompt.Ask($"Value for parameter '{parameter.Name}'{(parameter.Secret ? " (secret, not echoed)" : "")}");
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new DeployError(
                $"parameter '{parameter.Name}' has no value: set it with 'dotnet user-secrets set \"Parameters:{parameter.Name}\" <value> --id {AppHostUserSecrets.Id}', or the environment variable Parameters__{parameter.Name}, or run in a terminal to be prompted.");
        }

        _cache[parameter.Name] = value;
        return value;
    }
}
