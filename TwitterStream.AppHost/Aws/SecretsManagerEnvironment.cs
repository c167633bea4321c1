using Amazon.SimpleSystemsManagement.Model;

namespace TwitterStream.AppHost.Aws;

/// <summary>
/// Delivers Secrets Manager values to a process as environment variables, the way the ECS agent does on Fargate:
/// read back just before the process starts through SSM <c>GetParameter</c> on
/// <c>/aws/reference/secretsmanager/&lt;name&gt;</c>, so locally too the worker's credentials come out of a secret store.
/// </summary>
public static class SecretsManagerEnvironment
{
    public static IResourceBuilder<T> WithEnvironmentFromSecret<T>(
        this IResourceBuilder<T> builder, string variable, IResourceBuilder<LocalStackResource> localStack,
        string secretName, string region)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        var secret = localStack.Resource.Secrets.SingleOrDefault(s => s.SecretName == secretName)
            ?? throw new InvalidOperationException($"LocalStack seeds no secret '{secretName}'; add it with WithSecret first.");

        return builder.WaitFor(localStack).WithEnvironment(async context =>
        {
            if (!context.ExecutionContext.IsRunMode)
            {
                return;
            }

            using var ssm = LocalAws.Ssm(localStack.Resource.DynamoDbEndpoint.Url, region);
            var response = await ssm.GetParameterAsync(
                new GetParameterRequest { Name = secret.SsmParameterName, WithDecryption = true }, context.CancellationToken);
            context.EnvironmentVariables[variable] = response.Parameter.Value;
        });
    }
}
