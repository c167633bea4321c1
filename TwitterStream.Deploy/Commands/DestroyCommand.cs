using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary>
/// <c>destroy</c>: deletes the stack and waits, then what the stack retains on purpose: the repository with its
/// images, and the secrets (with a recovery window unless <c>--force</c>). Things already gone are not an error.
/// </summary>
internal sealed class DestroyCommand(ToolContext context)
{
    public async Task RunAsync(CommandLine commandLine, CancellationToken cancellationToken)
    {
        var options = CommonOptions.Read(commandLine, context);
        var dryRun = commandLine.Flag("dry-run");
        var force = commandLine.Flag("force");
        var awsCliPath = commandLine.Value("aws-cli");
        commandLine.RejectUnknown();

        var manifest = options.ReadManifest();
        var names = new DeploymentNames(options.StackName, manifest);
        ICommandRunner runner = dryRun ? new DryRunCommandRunner(context.Out) : new ProcessCommandRunner(context);
        var aws = await AwsCli.LocateAsync(context, runner, awsCliPath, options.Region, cancellationToken);
        await aws.AccountIdAsync(cancellationToken);

        async Task Report(string line)
        {
            if (!dryRun)
            {
                await context.Out.WriteLineAsync("==> " + line);
            }
        }

        await new StackOperations(aws, names).DeleteAsync(cancellationToken);
        await Report($"stack {names.Stack} deleted");
        await new ImageOperations(aws, names, "dotnet", context.Out).DeleteRepositoryAsync(cancellationToken);
        await Report($"repository {names.Repository} and its images deleted");
        var secrets = new SecretOperations(aws);
        foreach (var parameter in manifest.Parameters.Where(p => p.Secret).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var name = names.SecretName(parameter);
            await Report(await secrets.DeleteAsync(name, force, cancellationToken) switch
            {
                SecretDeletion.Deleted => $"secret {name} deleted without recovery",
                SecretDeletion.Scheduled => $"secret {name} scheduled for deletion in {SecretOperations.RecoveryWindowDays} days (restore with 'aws secretsmanager restore-secret --secret-id {name}')",
                SecretDeletion.AlreadyScheduled => $"secret {name} was already scheduled for deletion ('destroy --force' deletes it now)",
                _ => $"secret {name} does not exist",
            });
        }

        if (dryRun)
        {
            await context.Out.WriteLineAsync("==> dry run: nothing was run");
        }
    }
}
