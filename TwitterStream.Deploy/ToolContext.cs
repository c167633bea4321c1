using TwitterStream.Contracts;
using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Deploy;

/// <summary>
/// Everything the tool takes from the machine it runs on, gathered in one place so that tests can run the whole tool
/// in-process with their own environment, output and stand-in executables.
/// </summary>
internal sealed record ToolContext(
    IReadOnlyDictionary<string, string> Environment,
    TextWriter Out,
    TextWriter Error,
    ISecretPrompt Prompt,
    string WorkingDirectory,
    string UserSecretsPath)
{
    /// <summary>The machine's OS and architecture: whether the image can be Native AOT (<see cref="ImageCompilation"/>).</summary>
    public HostPlatform Host { get; init; } = HostPlatform.Current;

    public static ToolContext FromProcess()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return new ToolContext(
            environment,
            Console.Out,
            Console.Error,
            new ConsoleSecretPrompt(),
            Directory.GetCurrentDirectory(),
            Microsoft.Extensions.Configuration.UserSecrets.PathHelper.GetSecretsPathFromSecretsId(AppHostUserSecrets.Id));
    }

    public string? GetEnvironment(string name) =>
        Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
