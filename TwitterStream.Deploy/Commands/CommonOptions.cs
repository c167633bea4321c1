using TwitterStream.Deploy.Manifest;
using TwitterStream.Deploy.Parameters;
using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary>The options every command shares: which manifest, which region, which stack.</summary>
internal sealed record CommonOptions(string ManifestPath, string Region, string StackName)
{
    /// <summary>
    /// <c>--alarm-email</c> of plan and deploy: the address the alarms' topic mails (SNS asks the recipient to confirm
    /// first). Checked loosely; SNS is the judge of an address.
    /// </summary>
    public static string? AlarmEmail(CommandLine commandLine)
    {
        var email = commandLine.Value("alarm-email")?.Trim();
        return email is null || System.Text.RegularExpressions.Regex.IsMatch(email, @"^[^@\s]+@[^@\s]+\.[^@\s]+$")
            ? email
            : throw new DeployError($"--alarm-email {email} is not an email address: give one like ops@example.com, or leave the option out for no email.");
    }

    public const string DefaultManifest = "aspire-manifest/aspire-manifest.json";
    public const string DefaultOut = "artifacts/deploy-plan";

    public static CommonOptions Read(CommandLine commandLine, ToolContext context)
    {
        var manifest = context.ResolvePath(commandLine.Value("manifest", DefaultManifest));
        var region = commandLine.Value("region") ?? context.GetEnvironment("AWS_REGION") ?? context.GetEnvironment("AWS_DEFAULT_REGION")
            ?? throw new DeployError("no AWS region given: pass --region <region> or set AWS_REGION.");
        return new CommonOptions(manifest, region, commandLine.Value("stack-name", PlanSettings.DefaultStackName));
    }

    public AspireManifest ReadManifest() => ManifestReader.Read(ManifestPath);

    public DeploymentPlan Plan(
        AspireManifest manifest, ParameterValues parameters, string accountId, string image, CostOptions cost, string? alarmEmail,
        IReadOnlyDictionary<string, string>? secretArns = null) =>
        DeploymentPlan.Create(
            manifest,
            new PlanSettings(StackName, Region, accountId, image, cost)
            {
                AlarmEmail = alarmEmail,
                SecretArns = secretArns ?? new Dictionary<string, string>(StringComparer.Ordinal),
            },
            parameters);
}
