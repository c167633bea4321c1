using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Aws;

/// <summary>The CloudFormation stack: its state, the two-stage deploy, and its deletion.</summary>
internal sealed class StackOperations(AwsCli aws, DeploymentNames names)
{
    /// <summary>
    /// The stack's status, or null when there is no stack to update yet: none at all, or one left in
    /// REVIEW_IN_PROGRESS by a first deploy whose change set never ran (deploy creates it anew).
    /// </summary>
    public async Task<string?> StatusAsync(CancellationToken cancellationToken)
    {
        var result = await aws.RunAsync(
            ["cloudformation", "describe-stacks", "--stack-name", names.Stack, "--output", "json"],
            CommandResult.Failed($"An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id {names.Stack} does not exist"),
            cancellationToken);
        if (!result.Succeeded)
        {
            if (result.Stderr.Contains("does not exist", StringComparison.Ordinal))
            {
                return null;
            }

            AwsCli.EnsureSucceeded(result, ["cloudformation", "describe-stacks"]);
        }

        var status = AwsCli.First(AwsCli.ParseJson(result, "cloudformation describe-stacks")["Stacks"])?["StackStatus"]?.GetValue<string>();
        return status == "REVIEW_IN_PROGRESS" ? null : status;
    }

    /// <summary>
    /// Refuses to touch a stack that a deploy cannot start from (busy, or stuck after a failure), with one line saying
    /// what to do. The states a change set can start from are the *_COMPLETE ones and UPDATE_FAILED.
    /// </summary>
    public static void EnsureUpdatable(string stack, string status)
    {
        var events = $"'aws cloudformation describe-stack-events --stack-name {stack}'";
        var remedy = status switch
        {
            "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE" or "IMPORT_COMPLETE" or "IMPORT_ROLLBACK_COMPLETE" or "UPDATE_FAILED" => null,
            _ when status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) =>
                $"wait until it finishes ('aws cloudformation describe-stacks --stack-name {stack}') and run deploy again.",
            "UPDATE_ROLLBACK_FAILED" =>
                $"see {events} for the resource that could not roll back, fix it or skip it with 'aws cloudformation continue-update-rollback --stack-name {stack} [--resources-to-skip <logical-id>]', wait for UPDATE_ROLLBACK_COMPLETE, and deploy again.",
            "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "CREATE_FAILED" =>
                "its first creation failed and it cannot be updated: run 'twitterstream-deploy destroy --force' and deploy again.",
            "DELETE_FAILED" =>
                $"see {events} for what could not be deleted, remove it by hand, and run 'twitterstream-deploy destroy' again.",
            "IMPORT_ROLLBACK_FAILED" =>
                $"see {events} for the resource that could not roll back, fix it by hand, and run 'twitterstream-deploy destroy' before deploying again.",
            _ => $"this tool does not know how to deploy from that state: see {events}.",
        };
        if (remedy is not null)
        {
            throw new DeployError($"stack {stack} is {status}: {remedy}");
        }
    }

    public async Task DeployAsync(string templateFile, IReadOnlyList<string> parameterOverrides, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "cloudformation", "deploy",
            "--stack-name", names.Stack,
            "--template-file", templateFile,
            "--capabilities", "CAPABILITY_NAMED_IAM",
            "--no-fail-on-empty-changeset",
            "--parameter-overrides", .. parameterOverrides,
        ];
        var result = await aws.RunAsync(arguments, CommandResult.Ok(""), cancellationToken, stream: true);
        if (!result.Succeeded)
        {
            throw new DeployError(
                $"'aws cloudformation deploy' failed for stack {names.Stack}: {result.Reason} (see 'aws cloudformation describe-stack-events --stack-name {names.Stack}').");
        }
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        string[] delete = ["cloudformation", "delete-stack", "--stack-name", names.Stack];
        AwsCli.EnsureSucceeded(await aws.RunAsync(delete, CommandResult.Ok(""), cancellationToken), delete);
        string[] wait = ["cloudformation", "wait", "stack-delete-complete", "--stack-name", names.Stack];
        AwsCli.EnsureSucceeded(await aws.RunAsync(wait, CommandResult.Ok(""), cancellationToken, stream: true), wait);
    }
}
