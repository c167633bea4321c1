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

    /// <summary>Refuses to touch a stack that is busy or stuck, with what to do about it.</summary>
    public static void EnsureUpdatable(string stack, string status)
    {
        if (status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
        {
            throw new DeployError($"stack {stack} is {status}: wait until it finishes ('aws cloudformation describe-stacks --stack-name {stack}') and run deploy again.");
        }

        if (status is "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "DELETE_FAILED" or "CREATE_FAILED")
        {
            throw new DeployError($"stack {stack} is {status} and cannot be updated: run 'twitterstream-deploy destroy --force' and deploy again.");
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
