namespace Aspire.Hosting;

/// <summary>A Secrets Manager secret seeded from a parameter, handed to the container in <see cref="EnvironmentVariable"/>.</summary>
public sealed record LocalStackSecret(string SecretName, string EnvironmentVariable, ParameterResource Value)
{
    /// <summary>Where SSM serves the secret's value, as the ECS agent reads it on Fargate.</summary>
    public string SsmParameterName => $"/aws/reference/secretsmanager/{SecretName}";
}
