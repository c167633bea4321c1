using System.Text.Json.Nodes;
using TwitterStream.Deploy.Manifest;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The manifest turned into the files a reviewer reads and deploy uses: <c>template.json</c>,
/// <c>task-definition.json</c>, <c>execution-role-policy.json</c> and <c>task-role-policy.json</c>.
/// Secret values are never looked at here: secrets appear only as references.
/// </summary>
internal sealed class DeploymentPlan
{
    public const string TemplateFile = "template.json";
    public const string TaskDefinitionFile = "task-definition.json";
    public const string ExecutionRolePolicyFile = "execution-role-policy.json";
    public const string TaskRolePolicyFile = "task-role-policy.json";

    private readonly PlanSettings _settings;
    private readonly IamPolicyBuilder _policies;
    private readonly TaskDefinitionBuilder _taskDefinition;
    private readonly TemplateBuilder _template;

    private DeploymentPlan(AspireManifest manifest, PlanSettings settings, DeploymentNames names, ContainerEnvironment environment)
    {
        Manifest = manifest;
        _settings = settings;
        Names = names;
        Environment = environment;
        _policies = new IamPolicyBuilder(names, environment);
        _taskDefinition = new TaskDefinitionBuilder(manifest, names, environment, _policies);
        _template = new TemplateBuilder(manifest, names, _policies, _taskDefinition);
    }

    public AspireManifest Manifest { get; }

    public DeploymentNames Names { get; }

    public ContainerEnvironment Environment { get; }

    /// <summary>The secret parameters, each of which becomes one Secrets Manager secret.</summary>
    public IReadOnlyList<ManifestParameter> SecretParameters =>
        Manifest.Parameters.Where(p => p.Secret).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    public static DeploymentPlan Create(AspireManifest manifest, PlanSettings settings, ParameterValues values)
    {
        FargateSizes.Validate(manifest.Service);
        var names = new DeploymentNames(settings.StackName, manifest);
        var environment = new ExpressionResolver(manifest, values.Get).Resolve(manifest.ServiceProject);
        return new DeploymentPlan(manifest, settings, names, environment);
    }

    /// <summary>The plan files by name, as the exact text written to disk.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Files()
    {
        var concrete = new ConcreteTarget(_settings.Region, _settings.AccountId);
        return
        [
            new(TemplateFile, PlanJson.Serialize(_template.Build())),
            new(TaskDefinitionFile, PlanJson.Serialize(PlanJson.CamelCase(_taskDefinition.Build(concrete, _settings.Image)))),
            new(ExecutionRolePolicyFile, PlanJson.Serialize(_policies.ExecutionRolePolicy(concrete))),
            new(TaskRolePolicyFile, PlanJson.Serialize(_policies.TaskRolePolicy(concrete))),
        ];
    }

    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in Files())
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), text, cancellationToken);
        }
    }
}
