using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// The AWS CLI, used only through commands and options that both v1 (1.18+) and v2 understand, always with an
/// explicit <c>--region</c> and JSON output parsed here (no <c>--query</c>), so either version on PATH works.
/// </summary>
internal sealed partial class AwsCli
{
    public const string DryRunAccount = "<account-id>";

    private readonly ICommandRunner _runner;
    private readonly string _executable;

    private AwsCli(ICommandRunner runner, string executable, string region)
    {
        _runner = runner;
        _executable = executable;
        Region = region;
    }

    public string Region { get; }

    public ICommandRunner Runner => _runner;

    [GeneratedRegex(@"aws-cli/(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionPattern();

    /// <summary>Finds the CLI (<c>--aws-cli</c>, <c>TWITTERSTREAM_AWS_CLI</c>, else PATH) and checks its version.</summary>
    public static async Task<AwsCli> LocateAsync(ToolContext context, ICommandRunner runner, string? explicitPath, string region, CancellationToken cancellationToken)
    {
        var requested = explicitPath ?? context.GetEnvironment("TWITTERSTREAM_AWS_CLI") ?? "aws";
        var executable = ExecutableLocator.Find(context, requested);
        if (executable is null)
        {
            if (!runner.IsDryRun)
            {
                throw new DeployError(
                    $"the AWS CLI ('{requested}') was not found: install AWS CLI v2 (Debian: apt-get install awscli) or pass --aws-cli <path>.");
            }

            executable = requested;
        }

        var version = await runner.RunAsync(
            new CommandSpec(executable, ["--version"]) { DryRunResult = CommandResult.Ok("aws-cli/2.0.0 (dry run)") },
            cancellationToken);
        var match = VersionPattern().Match(version.Stdout + version.Stderr);
        if (!version.Succeeded || !match.Success)
        {
            throw new DeployError($"'{executable} --version' did not report an AWS CLI version ({version.Reason}): install AWS CLI v2 or pass --aws-cli <path>.");
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (major < 1 || (major == 1 && minor < 18))
        {
            throw new DeployError($"{executable} is {match.Value}, too old for 'ecr get-login-password' and 'cloudformation deploy --no-fail-on-empty-changeset': install AWS CLI v2.");
        }

        return new AwsCli(runner, executable, region);
    }

    /// <summary>The account the credentials belong to; the first call, so missing credentials are reported before anything else.</summary>
    public async Task<string> AccountIdAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["sts", "get-caller-identity", "--output", "json"], CommandResult.Ok($$"""{"Account":"{{DryRunAccount}}"}"""), cancellationToken);
        if (!result.Succeeded)
        {
            throw new DeployError(
                $"no usable AWS credentials ('aws sts get-caller-identity' said: {result.Reason}): run 'aws configure', or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }

        return ParseJson(result, "sts get-caller-identity")["Account"]?.GetValue<string>()
            ?? throw new DeployError("'aws sts get-caller-identity' returned no account id.");
    }

    /// <summary>Runs <c>aws &lt;args&gt; --region R</c>; failures are the caller's to interpret.</summary>
    public Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, CommandResult dryRunResult, CancellationToken cancellationToken, bool stream = false) =>
        RunAsync(arguments, dryRunResult, new Dictionary<string, string>(), cancellationToken, stream);

    public Task<CommandResult> RunAsync(
        IReadOnlyList<string> arguments,
        CommandResult dryRunResult,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken,
        bool stream = false) =>
        _runner.RunAsync(
            new CommandSpec(_executable, [.. arguments, "--region", Region]) { DryRunResult = dryRunResult, StreamOutput = stream, Environment = environment },
            cancellationToken);

    /// <summary>Runs a command that must succeed and returns its JSON answer.</summary>
    public async Task<JsonNode> JsonAsync(IReadOnlyList<string> arguments, string dryRunJson, CancellationToken cancellationToken)
    {
        var result = await RunAsync([.. arguments, "--output", "json"], CommandResult.Ok(dryRunJson), cancellationToken);
        EnsureSucceeded(result, arguments);
        return ParseJson(result, Describe(arguments));
    }

    public static void EnsureSucceeded(CommandResult result, IReadOnlyList<string> arguments)
    {
        if (!result.Succeeded)
        {
            throw new DeployError($"'aws {Describe(arguments)}' failed: {result.Reason}");
        }
    }

    public static JsonNode ParseJson(CommandResult result, string what)
    {
        try
        {
            return JsonNode.Parse(result.Stdout.Length == 0 ? "{}" : result.Stdout) ?? new JsonObject();
        }
        catch (JsonException)
        {
            // Do not quote the output: for some commands it is a secret.
            throw new DeployError($"'aws {what}' did not answer with JSON: check that the AWS CLI works ('aws --version').");
        }
    }

    /// <summary>The first element of a JSON array in an answer, or null when there is none.</summary>
    public static JsonNode? First(JsonNode? array) => array is JsonArray { Count: > 0 } items ? items[0] : null;

    private static string Describe(IReadOnlyList<string> arguments) => string.Join(' ', arguments.Take(2));
}
