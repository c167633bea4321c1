using System.Security.Cryptography;
using System.Text;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// Secret values in Secrets Manager. The current value is compared by hash inside the tool (never shown), so a second
/// deploy with the same values writes no new secret version; new values go in through a 0600 file.
/// </summary>
internal sealed class SecretOperations(AwsCli aws)
{
    public const int RecoveryWindowDays = 7;

    /// <summary>Puts <paramref name="value"/> unless the secret already holds it; true when it wrote a new version.</summary>
    public async Task<bool> PutIfChangedAsync(string secretName, Func<string> value, CancellationToken cancellationToken)
    {
        var current = await aws.RunAsync(
            ["secretsmanager", "get-secret-value", "--secret-id", secretName, "--output", "json"],
            CommandResult.Failed("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"),
            cancellationToken);
        if (!current.Succeeded && !current.Stderr.Contains("ResourceNotFoundException", StringComparison.Ordinal))
        {
            AwsCli.EnsureSucceeded(current, ["secretsmanager", "get-secret-value"]);
        }

        if (aws.Runner.IsDryRun)
        {
            await aws.RunAsync(["secretsmanager", "put-secret-value", "--secret-id", secretName, "--secret-string", "file://<0600 temp file>", "--output", "json"], CommandResult.Ok("{}"), cancellationToken);
            return true;
        }

        var wanted = value();
        if (current.Succeeded
            && AwsCli.ParseJson(current, "secretsmanager get-secret-value")["SecretString"]?.GetValue<string>() is { } existing
            && CryptographicOperations.FixedTimeEquals(Hash(existing), Hash(wanted)))
        {
            return false;
        }

        using var file = SecretValueFile.Create(wanted);
        string[] put = ["secretsmanager", "put-secret-value", "--secret-id", secretName, "--secret-string", file.FileUrl, "--output", "json"];
        AwsCli.EnsureSucceeded(await aws.RunAsync(put, CommandResult.Ok("{}"), cancellationToken), put);
        return true;
    }

    /// <summary>
    /// The secret's full ARN and whether it is scheduled for deletion (describe-secret's <c>DeletedDate</c>, which
    /// AWS sets exactly then), or null when there is no such secret. Metadata only: the value is not read.
    /// </summary>
    public async Task<SecretState?> DescribeAsync(string secretName, CancellationToken cancellationToken)
    {
        string[] describe = ["secretsmanager", "describe-secret", "--secret-id", secretName, "--output", "json"];
        var result = await aws.RunAsync(
            describe,
            CommandResult.Failed("An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret."),
            cancellationToken);
        if (!result.Succeeded)
        {
            if (result.Stderr.Contains("ResourceNotFoundException", StringComparison.Ordinal))
            {
                return null;
            }

            AwsCli.EnsureSucceeded(result, describe);
        }

        var answer = AwsCli.ParseJson(result, "secretsmanager describe-secret");
        var arn = answer["ARN"]?.GetValue<string>() ?? throw new DeployError($"'aws secretsmanager describe-secret' gave no ARN for {secretName}.");
        return new SecretState(arn, answer["DeletedDate"] is not null);
    }

    /// <summary>
    /// Refuses, with what to do, to use a secret scheduled for deletion. Without a stack it was left by a destroy and
    /// would block the stack's own secret of that name, so it goes for good (deploy sets the value again); inside a
    /// stack it was deleted by hand and is restored.
    /// </summary>
    public static void EnsureNotScheduledForDeletion(string secretName, SecretState? state, bool stackExists)
    {
        if (state is { ScheduledForDeletion: true })
        {
            throw new DeployError(stackExists
                ? $"secret {secretName} is scheduled for deletion: restore it with 'aws secretsmanager restore-secret --secret-id {secretName}' and deploy again."
                : $"secret {secretName} is scheduled for deletion by an earlier destroy: delete it now with 'twitterstream-deploy destroy --force' (deploy sets its value again) and deploy again.");
        }
    }

    /// <summary>Deletes the secret (with a recovery window unless forced); a missing secret, or one already scheduled when not forcing, is left as it is.</summary>
    public async Task<SecretDeletion> DeleteAsync(string secretName, bool force, CancellationToken cancellationToken)
    {
        var state = await DescribeAsync(secretName, cancellationToken);
        if (!aws.Runner.IsDryRun && (state is null || (state.ScheduledForDeletion && !force)))
        {
            return state is null ? SecretDeletion.NotFound : SecretDeletion.AlreadyScheduled;
        }

        string[] delete =
        [
            "secretsmanager", "delete-secret", "--secret-id", secretName,
            .. force ? ["--force-delete-without-recovery"] : new[] { "--recovery-window-in-days", RecoveryWindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            "--output", "json",
        ];
        AwsCli.EnsureSucceeded(await aws.RunAsync(delete, CommandResult.Ok("{}"), cancellationToken), delete);
        return force ? SecretDeletion.Deleted : SecretDeletion.Scheduled;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <param name="Arn">The full ARN, with the six characters Secrets Manager appends to the name.</param>
internal sealed record SecretState(string Arn, bool ScheduledForDeletion);

internal enum SecretDeletion
{
    Deleted,
    Scheduled,
    AlreadyScheduled,
    NotFound,
}
