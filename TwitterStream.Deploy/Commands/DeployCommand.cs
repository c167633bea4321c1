using System.Text.Json.Nodes;
using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Parameters;
using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary>
/// <c>deploy</c>, in an order that solves the stack's chicken-and-egg:
/// 1. a first <c>cloudformation deploy</c> with <c>Stage=bootstrap</c> (only when the stack does not exist yet)
///    creates the repository and the empty secrets;
/// 2. the image is pushed (skipped when the commit's tag is already there) and its digest read;
/// 3. each secret gets the user's value (skipped when it already holds it);
/// 4. <c>cloudformation deploy</c> with <c>Stage=full</c> and the image digest creates or updates everything else
///    and waits; an unchanged stack is no change (<c>--no-fail-on-empty-changeset</c>);
/// 5. the service's state is reported.
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
        commandLine.RejectUnknown();

        var manifest = options.ReadManifest();
        var parameters = new ParameterValues(context);
        var names = new DeploymentNames(options.StackName, manifest);
        var provisional = options.Plan(manifest, parameters, PlanSettings.AccountPlaceholder, "");
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
        imageTag ??= await GitShortShaAsync(runner, manifest.FilePath, cancellationToken);

        var registry = ImageOperations.Registry(accountId, options.Region);
        var plan = options.Plan(manifest, parameters, accountId, $"{registry}/{names.Repository}:{imageTag}");
        await plan.WriteAsync(output, cancellationToken);
        var template = Path.Combine(output, DeploymentPlan.TemplateFile);
        await context.Out.WriteLineAsync($"==> plan written to {output}");

        var stack = new StackOperations(aws, names);
        var status = await stack.StatusAsync(cancellationToken);
        if (status is null)
        {
            await context.Out.WriteLineAsync($"==> stack {names.Stack} does not exist: creating the repository and secrets first");
            await stack.DeployAsync(template, [$"{TemplateBuilder.StageParameter}={TemplateBuilder.BootstrapStage}"], cancellationToken);
        }
        else
        {
            StackOperations.EnsureUpdatable(names.Stack, status);
        }

        var images = new ImageOperations(aws, names, dotnet, context.Out);
        var digest = await images.EnsurePushedAsync(accountId, imageTag, manifest.ServiceProjectFile, cancellationToken);

        var secrets = new SecretOperations(aws);
        foreach (var parameter in plan.SecretParameters)
        {
            var written = await secrets.PutIfChangedAsync(names.SecretName(parameter), () => parameters.Get(parameter), cancellationToken);
            await context.Out.WriteLineAsync(dryRun
                ? $"==> secret {names.SecretName(parameter)}: value set when it differs from the stored one"
                : $"==> secret {names.SecretName(parameter)}: {(written ? "value set" : "unchanged")}");
        }

        var network = await new NetworkLookup(aws).ResolveAsync(subnets, securityGroups, cancellationToken);
        await stack.DeployAsync(template,
        [
            $"{TemplateBuilder.StageParameter}={TemplateBuilder.FullStage}",
            $"{TemplateBuilder.ImageUriParameter}={registry}/{names.Repository}@{digest}",
            $"{TemplateBuilder.SubnetsParameter}={string.Join(',', network.Subnets)}",
            $"{TemplateBuilder.SecurityGroupsParameter}={string.Join(',', network.SecurityGroups)}",
            $"{TemplateBuilder.AssignPublicIpParameter}={assignPublicIp}",
        ], cancellationToken);

        await ReportServiceAsync(aws, names, cancellationToken);
        if (dryRun)
        {
            await context.Out.WriteLineAsync("==> dry run: nothing was run");
        }
    }

    private static async Task<string> GitShortShaAsync(ICommandRunner runner, string manifestPath, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new CommandSpec("git", ["-C", Path.GetDirectoryName(manifestPath)!, "rev-parse", "--short", "HEAD"]) { DryRunResult = CommandResult.Ok("<git-short-sha>") },
            cancellationToken);
        var sha = result.Stdout.Trim();
        return result.Succeeded && sha.Length > 0
            ? sha
            : throw new DeployError($"could not read the commit to tag the image with ('git rev-parse --short HEAD': {result.Reason}): run from a git clone or pass --image-tag <tag>.");
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
