using TwitterStream.Deploy.Manifest;
using TwitterStream.Deploy.Parameters;
using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary>The options every command shares: which manifest, which region, which stack.</summary>
internal sealed record CommonOptions(string ManifestPath, string Region, string StackName)
{
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
        AspireManifest manifest, ParameterValues parameters, string accountId, string image, CostOptions cost, IReadOnlyDictionary<string, string>? secretArns = null) =>
        DeploymentPlan.Create(
            manifest,
            new PlanSettings(StackName, Region, accountId, image, cost) { SecretArns = secretArns ?? new Dictionary<string, string>(StringComparer.Ordinal) },
            parameters);
}
