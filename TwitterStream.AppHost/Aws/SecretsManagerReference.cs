using Amazon.SimpleSystemsManagement.Model;

namespace Aspire.Hosting;

/// <summary>
/// A Secrets Manager value in LocalStack, read when the consuming process starts through SSM <c>GetParameter</c> on
/// <c>/aws/reference/secretsmanager/&lt;name&gt;</c>: locally, too, the worker's credentials come out of a secret
/// store as environment variables, the way the ECS agent delivers them on Fargate.
/// </summary>
public sealed class SecretsManagerReference(LocalStackResource localStack, LocalStackSecret secret)
    : IValueProvider, IManifestExpressionProvider, IValueWithReferences
{
    public LocalStackResource LocalStack { get; } = localStack;

    public LocalStackSecret Secret { get; } = secret;

    public string ValueExpression => $"{{{LocalStack.Name}.secrets.{Secret.SecretName}}}";

    public IEnumerable<object> References => [LocalStack, Secret.Value];

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(LocalStack.DynamoDbEndpoint.Url, LocalStack.Region, Secret.SsmParameterName, cancellationToken);

    /// <summary>Reads a Secrets Manager value through SSM's <c>/aws/reference/secretsmanager/…</c> parameter.</summary>
    public static async Task<string> ReadAsync(string serviceUrl, string region, string ssmParameterName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUrl);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(ssmParameterName);
        using var ssm = AwsEmulatorResourceExtensions.CreateSsmClient(serviceUrl, region);
        var response = await ssm.GetParameterAsync(
            new GetParameterRequest { Name = ssmParameterName, WithDecryption = true }, cancellationToken);
        return response.Parameter.Value;
    }
}

public static class SecretsManagerReferenceExtensions
{
    /// <summary>Sets <paramref name="variable"/> from a secret LocalStack seeds; the resource waits for LocalStack.</summary>
    public static IResourceBuilder<T> WithEnvironmentFromSecret<T>(
        this IResourceBuilder<T> builder, string variable, IResourceBuilder<LocalStackResource> localStack, string secretName)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(variable);
        ArgumentNullException.ThrowIfNull(localStack);
        var secret = localStack.Resource.Secrets.SingleOrDefault(s => s.SecretName == secretName)
            ?? throw new InvalidOperationException($"LocalStack seeds no secret '{secretName}'; add it with WithSecret first.");
        return builder.WaitFor(localStack).WithEnvironment(variable, new SecretsManagerReference(localStack.Resource, secret));
    }
}
