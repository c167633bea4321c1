namespace TwitterStream.Contracts;

/// <summary>
/// How a local process is told to read a configuration value from Secrets Manager itself, through SSM's
/// <c>/aws/reference/secretsmanager/&lt;name&gt;</c> parameter, as the ECS agent reads the worker's secrets on Fargate:
/// the AppHost sets <c>SsmSecrets__&lt;key&gt;=&lt;parameter&gt;</c> (the secret's name only, never its value), and the
/// process's configuration gains <c>&lt;key&gt;</c> with the value it read. The SSM endpoint, region and credentials
/// come from the AWS SDK's standard variables (<see cref="SsmEndpoint"/>, <see cref="WorkerVariables.SdkRegion"/>, …).
/// </summary>
public static class SsmSecretReferences
{
    /// <summary>The configuration section whose entries name, by their relative key, the setting they fill.</summary>
    public const string Section = "SsmSecrets";

    /// <summary>The AWS SDK's service-specific endpoint variable for SSM.</summary>
    public const string SsmEndpoint = "AWS_ENDPOINT_URL_SSM";

    /// <summary>Where SSM serves a Secrets Manager secret's value.</summary>
    public const string ParameterPrefix = "/aws/reference/secretsmanager/";

    public static string ParameterName(string secretName) => ParameterPrefix + secretName;

    /// <summary>The environment variable that asks for <paramref name="configurationKey"/> (<c>:</c> or <c>__</c> separated) from SSM.</summary>
    public static string EnvironmentVariable(string configurationKey) =>
        $"{Section}__{configurationKey.Replace(":", "__", StringComparison.Ordinal)}";
}
