using System.Text.Json.Nodes;
using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Parameters;
using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary>
/// <c>deploy</c>, in an order that solves the stack's chicken-and-egg:
/// 1. a first <c>cloudformation deploy</c> with <c>Stage=bootstrap</c> (only when the stack does not exist yet)
///    creates the repository and the empty secrets;
/// 2. the secrets' full ARNs are looked up for <c>task-definition.json</c> (a secret scheduled for deletion stops here);
/// 3. the image is pushed (skipped when its tag is already there) and its digest read;
/// 4. each secret gets the user's value (skipped when it already holds it);
/// 5. <c>cloudformation deploy</c> with <c>Stage=full</c> and the image digest creates or updates everything else
///    and waits; an unchanged stack is no change (<c>--no-fail-on-empty-changeset</c>);
/// 6. the service's state is reported.
/// </summary>
internal sealed class DeployCommand(ToolContext context)
{
    public async Task RunAsync(CommandLine commandLine, CancellationToken cancellationToken)
    {
        var options = CommonOptions.Read(commandLine, context);
        var dryRun = commandLine.Flag("dry-run");
        var output = context.ResolvePath(commandLine.Value("out", CommonOptions.DefaultOut));
        var subnets = commandLine.List("subnets");
        var securityGroups = commandLine.List("security-groups");
        var assignPublicIp = commandLine.Flag("no-public-ip") ? "DISABLED" : "ENABLED";
        var imageTag = commandLine.Value("image-tag");
        var awsCliPath = commandLine.Value("aws-cli");
        var dotnet = commandLine.Value("dotnet") ?? context.GetEnvironment("TWITTERSTREAM_DOTNET") ?? "dotnet";
        var costOverrides = CostOverrides.Read(commandLine);
        var alarmEmail = CommonOptions.AlarmEmail(commandLine);
        commandLine.RejectUnknown();

        var manifest = options.ReadManifest();
        var cost = costOverrides.Apply(manifest.Service);
        var parameters = new ParameterValues(context);
        var names = new DeploymentNames(options.StackName, manifest);
        var provisional = options.Plan(manifest, parameters, PlanSettings.AccountPlaceholder, "", cost, alarmEmail);
        if (!dryRun)
        {
            // Every value is settled before the first AWS call, so a missing one stops the deploy before it starts.
            foreach (var parameter in provisional.SecretParameters)
            {
                parameters.Get(parameter);
            }
        }

        ICommandRunner runner = dryRun ? new DryRunCommandRunner(context.Out) : new ProcessCommandRunner(context);
        if (dryRun)
        {
            await context.Out.WriteLineAsync("==> dry run: the commands of a first deploy, in order; none is run");
        }

        var aws = await AwsCli.LocateAsync(context, runner, awsCliPath, options.Region, cancellationToken);
        var accountId = await aws.AccountIdAsync(cancellationToken);
        var compilation = ImageCompilation.Choose(context, cost.DotnetArch);
        imageTag ??= await GitImageTag.ReadAsync(runner, manifest.FilePath, cost.DotnetArch, compilation, cancellationToken);

        var registry = ImageOperations.Registry(accountId, options.Region);
        var image = $"{registry}/{names.Repository}:{imageTag}";
        var plan = options.Plan(manifest, parameters, accountId, image, cost, alarmEmail);
        await plan.WriteAsync(output, cancellationToken);
        var template = Path.Combine(output, DeploymentPlan.TemplateFile);
        await context.Out.WriteLineAsync($"==> plan written to {output}");

        // The template requires the network in both stages, so it is settled before the first stack change.
        var network = await new NetworkLookup(aws).ResolveAsync(subnets, securityGroups, cancellationToken);
        string[] networkParameters =
        [
            $"{TemplateBuilder.SubnetsParameter}={string.Join(',', network.Subnets)}",
            $"{TemplateBuilder.SecurityGroupsParameter}={string.Join(',', network.SecurityGroups)}",
        ];

        var stack = new StackOperations(aws, names);
        var secrets = new SecretOperations(aws);
        var status = await stack.StatusAsync(cancellationToken);
        if (status is null)
        {
            foreach (var parameter in plan.SecretParameters)
            {
                SecretOperations.EnsureNotScheduledForDeletion(
                    names.SecretName(parameter), await secrets.DescribeAsync(names.SecretName(parameter), cancellationToken), stackExists: false);
            }

            await context.Out.WriteLineAsync($"==> stack {names.Stack} does not exist: creating the repository and secrets first");
            await stack.DeployAsync(template, [$"{TemplateBuilder.StageParameter}={TemplateBuilder.BootstrapStage}", .. networkParameters], cancellationToken);
        }
        else
        {
            StackOperations.EnsureUpdatable(names.Stack, status);
        }

        var secretArns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in plan.SecretParameters)
        {
            var state = await secrets.DescribeAsync(names.SecretName(parameter), cancellationToken);
            SecretOperations.EnsureNotScheduledForDeletion(names.SecretName(parameter), state, stackExists: true);
            if (state is not null)
            {
                secretArns[parameter.Name] = state.Arn;
            }
        }

        if (secretArns.Count > 0)
        {
            // Only task-definition.json and its notes change: the template refers to the secrets by Ref.
            await options.Plan(manifest, parameters, accountId, image, cost, alarmEmail, secretArns).WriteAsync(output, cancellationToken);
        }

        var images = new ImageOperations(aws, names, dotnet, context.Out);
        var digest = await images.EnsurePushedAsync(accountId, imageTag, manifest.ServiceProjectFile, cost.DotnetArch, compilation, cancellationToken);

        foreach (var parameter in plan.SecretParameters)
        {
            var written = await secrets.PutIfChangedAsync(names.SecretName(parameter), () => parameters.Get(parameter), cancellationToken);
            await context.Out.WriteLineAsync(dryRun
                ? $"==> secret {names.SecretName(parameter)}: value set when it differs from the stored one"
                : $"==> secret {names.SecretName(parameter)}: {(written ? "value set" : "unchanged")}");
        }

        await stack.DeployAsync(template,
        [
            $"{TemplateBuilder.StageParameter}={TemplateBuilder.FullStage}",
            $"{TemplateBuilder.ImageUriParameter}={registry}/{names.Repository}@{digest}",
            .. networkParameters,
            $"{TemplateBuilder.AssignPublicIpParameter}={assignPublicIp}",
        ], cancellationToken);

        await ReportServiceAsync(aws, names, cancellationToken);
        if (dryRun)
        {
            await context.Out.WriteLineAsync("==> dry run: nothing was run");
        }
    }

    private async Task ReportServiceAsync(AwsCli aws, DeploymentNames names, CancellationToken cancellationToken)
    {
        var answer = await aws.JsonAsync(
            ["ecs", "describe-services", "--cluster", names.Cluster, "--services", names.Service],
            """{"services":[{"serviceName":"(dry run)","status":"UNKNOWN","runningCount":0,"desiredCount":0,"deployments":[]}]}""",
            cancellationToken);
        if (aws.Runner.IsDryRun)
        {
            return;
        }

        var service = AwsCli.First(answer["services"]) as JsonObject
            ?? throw new DeployError($"service {names.Service} was not found in cluster {names.Cluster} after the deploy: see 'aws cloudformation describe-stack-events --stack-name {names.Stack}'.");
        var rollout = AwsCli.First(service["deployments"])?["rolloutState"]?.GetValue<string>() ?? "unknown";
        await context.Out.WriteLineAsync(
            $"==> service {names.Service} in cluster {names.Cluster}: {service["status"]}, {service["runningCount"]}/{service["desiredCount"]} running, rollout {rollout}");
    }
}
