using TwitterStream.Contracts;
using TwitterStream.Deploy.Commands;

namespace TwitterStream.Deploy;

/// <summary>Reads the command line, runs one command, and turns any user-fixable problem into one line on stderr.</summary>
internal static class DeployApp
{
    public static readonly string Usage = $"""
        usage: twitterstream-deploy <command> [options]

          plan     --out <dir> [--manifest <file>] [--region <r>] [--stack-name <s>] [--account-id <id>] [--image <uri>]
                   [--arch x64|arm64] [--spot|--on-demand] [--keep-images <n>] [--alarm-email <address>]
          deploy   [--manifest <file>] [--region <r>] [--stack-name <s>] [--out <dir>] [--subnets <a,b>]
                   [--security-groups <sg,...>] [--no-public-ip] [--image-tag <tag>] [--aws-cli <path>] [--dry-run]
                   [--arch x64|arm64] [--spot|--on-demand] [--keep-images <n>] [--alarm-email <address>]
          destroy  [--manifest <file>] [--region <r>] [--stack-name <s>] [--force] [--aws-cli <path>] [--dry-run]

        Defaults: --manifest aspire-manifest/aspire-manifest.json, --stack-name twitterstream,
        --region from AWS_REGION or AWS_DEFAULT_REGION, --out artifacts/deploy-plan, --keep-images 10 (the repository's
        lifecycle policy), --arch and --spot from the manifest's Fargate settings (x64, on demand), --image-tag
        <commit>-<arch> (refused with uncommitted changes), no --alarm-email (the alarms' SNS topic has no subscriber;
        with one, SNS mails the address a confirmation link that must be followed before any alarm arrives).
        Parameter values: user secrets (id {AppHostUserSecrets.Id}, keys Parameters:<name>),
        environment variables Parameters__<name>, or a prompt when run in a terminal.
        """;

    public static async Task<int> RunAsync(string[] args, ToolContext context, CancellationToken cancellationToken)
    {
        try
        {
            var commandLine = CommandLine.Parse(args);
            switch (commandLine.Command)
            {
                case "plan":
                    await new PlanCommand(context).RunAsync(commandLine, cancellationToken);
                    return 0;
                case "deploy":
                    await new DeployCommand(context).RunAsync(commandLine, cancellationToken);
                    return 0;
                case "destroy":
                    await new DestroyCommand(context).RunAsync(commandLine, cancellationToken);
                    return 0;
                case "help" or "--help" or "-h":
                    await context.Out.WriteLineAsync(Usage);
                    return 0;
                default:
                    throw new DeployError($"unknown command '{commandLine.Command}': use plan, deploy or destroy (see 'twitterstream-deploy help').");
            }
        }
        catch (Exception error) when (error is DeployError or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: {error.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("error: cancelled; run the same command again to finish (deploy and destroy can be repeated safely).");
            return 130;
        }
    }
}
