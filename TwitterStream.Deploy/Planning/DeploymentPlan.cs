using System.Text.Json.Nodes;
using TwitterStream.Deploy.Manifest;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The manifest turned into the files a reviewer reads and deploy uses: <c>template.json</c>,
/// <c>task-definition.json</c> (with <c>task-definition.README.txt</c> saying how to register it by hand),
/// <c>execution-role-policy.json</c> and <c>task-role-policy.json</c>.
/// Secret values are never looked at here: secrets appear only as references.
/// </summary>
internal sealed class DeploymentPlan
{
    public const string TemplateFile = "template.json";
    public const string TaskDefinitionFile = "task-definition.json";
    public const string TaskDefinitionNotesFile = "task-definition.README.txt";
    public const string ExecutionRolePolicyFile = "execution-role-policy.json";
    public const string TaskRolePolicyFile = "task-role-policy.json";
    public const string ComplianceTaskRolePolicyFile = "compliance-task-role-policy.json";

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
        _taskDefinition = new TaskDefinitionBuilder(manifest, names, environment, _policies, settings);
        _template = new TemplateBuilder(manifest, names, _policies, _taskDefinition, settings.Cost, settings.AlarmEmail);
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
        IEnumerable<KeyValuePair<string, string>> scheduled = Manifest.ScheduledTasks.Count == 0
            ? []
            : [new(ComplianceTaskRolePolicyFile, PlanJson.Serialize(_policies.ComplianceTaskRolePolicy(concrete)))];
        return
        [
            .. scheduled,
            new(TemplateFile, PlanJson.Serialize(_template.Build())),
            new(TaskDefinitionFile, PlanJson.Serialize(PlanJson.CamelCase(_taskDefinition.Build(concrete, _settings.Image)))),
            new(TaskDefinitionNotesFile, TaskDefinitionNotes()),
            new(ExecutionRolePolicyFile, PlanJson.Serialize(_policies.ExecutionRolePolicy(concrete))),
            new(TaskRolePolicyFile, PlanJson.Serialize(_policies.TaskRolePolicy(concrete))),
        ];
    }

    /// <summary>
    /// The companion text of <c>task-definition.json</c>: ECS documents a secret's <c>valueFrom</c> as its full ARN,
    /// which only Secrets Manager knows (it appends six random characters), so a plan made without looking them up
    /// says plainly which values to replace and how to find them.
    /// </summary>
    private string TaskDefinitionNotes()
    {
        var lines = new List<string>
        {
            $"{TaskDefinitionFile}: the worker's task definition as the stack registers it, for review or for",
            $"'aws ecs register-task-definition --cli-input-json file://{TaskDefinitionFile} --region {_settings.Region}'.",
            "",
        };
        var secrets = Environment.Secrets.Select(s => s.Value).Distinct().ToList();
        var missing = secrets.Where(p => !_settings.SecretArns.ContainsKey(p.Name)).ToHashSet();
        if (secrets.Count == 0)
        {
            lines.Add("The worker has no secrets, so the file is complete as written.");
        }
        else if (missing.Count == 0)
        {
            lines.Add("Each secret's valueFrom is the secret's full ARN, as looked up in Secrets Manager by deploy: the file is complete as written.");
        }
        else
        {
            lines.Add("Before registering it by hand, replace each secret's valueFrom below with the secret's full ARN: this plan did not");
            lines.Add("look them up, so they lack the six-character suffix Secrets Manager appends (…:secret:NAME-AbCdEf), which ECS documents.");
            lines.Add("Find each with 'aws secretsmanager describe-secret --secret-id NAME --region REGION' (its ARN),");
            lines.Add("or run 'twitterstream-deploy deploy', which writes this file with the full ARNs.");
            foreach (var (variable, parameter) in Environment.Secrets.Where(s => missing.Contains(s.Value)))
            {
                lines.Add($"  - {variable}: secret {Names.SecretName(parameter)}");
            }
        }

        if (_settings.AccountId == PlanSettings.AccountPlaceholder)
        {
            lines.Add("");
            lines.Add($"The account id is the placeholder {PlanSettings.AccountPlaceholder}: replace it, or plan again with --account-id <id>.");
        }

        return string.Join('\n', lines) + "\n";
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
