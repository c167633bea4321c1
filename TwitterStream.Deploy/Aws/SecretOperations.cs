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

    public async Task DeleteAsync(string secretName, bool force, CancellationToken cancellationToken)
    {
        string[] delete =
        [
            "secretsmanager", "delete-secret", "--secret-id", secretName,
            .. force ? ["--force-delete-without-recovery"] : new[] { "--recovery-window-in-days", RecoveryWindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            "--output", "json",
        ];
        var result = await aws.RunAsync(delete, CommandResult.Ok("{}"), cancellationToken);
        if (!result.Succeeded && !result.Stderr.Contains("ResourceNotFoundException", StringComparison.Ordinal)
            && !result.Stderr.Contains("marked for deletion", StringComparison.Ordinal))
        {
            AwsCli.EnsureSucceeded(result, delete);
        }
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
