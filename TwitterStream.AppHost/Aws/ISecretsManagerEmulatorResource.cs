using TwitterStream.Contracts;

namespace Aspire.Hosting;

/// <summary>
/// An AWS emulator that also serves Secrets Manager and SSM (LocalStack, moto) on its one endpoint. The AppHost seeds
/// its secrets (<see cref="EmulatedSecretAnnotation"/>) through the Secrets Manager API once it is ready, the same way
/// for every such emulator; its consumers read them back themselves through SSM.
/// </summary>
public interface ISecretsManagerEmulatorResource : IAwsEmulatorResource;

/// <summary>A Secrets Manager secret the AppHost seeds into the emulator from a (secret) parameter.</summary>
public sealed record EmulatedSecretAnnotation(string SecretName, ParameterResource Value) : IResourceAnnotation
{
    /// <summary>Where SSM serves the secret's value, as the ECS agent reads it on Fargate.</summary>
    public string SsmParameterName => SsmSecretReferences.ParameterName(SecretName);
}

public static class SecretsManagerEmulatorResourceExtensions
{
    /// <summary>The secrets seeded into <paramref name="emulator"/>, in the order they were added.</summary>
    public static IEnumerable<EmulatedSecretAnnotation> Secrets(this ISecretsManagerEmulatorResource emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return emulator.Annotations.OfType<EmulatedSecretAnnotation>();
    }

    /// <summary>Seeds a Secrets Manager secret from a parameter when the emulator is ready.</summary>
    public static IResourceBuilder<T> WithSecret<T>(this IResourceBuilder<T> builder, string secretName, IResourceBuilder<ParameterResource> value)
        where T : ISecretsManagerEmulatorResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        ArgumentNullException.ThrowIfNull(value);
        if (builder.Resource.Secrets().Any(s => s.SecretName == secretName))
        {
            throw new InvalidOperationException($"{builder.Resource.Name} already seeds a secret '{secretName}'.");
        }

        return builder.WithAnnotation(new EmulatedSecretAnnotation(secretName, value.Resource));
    }

    /// <summary>
    /// Once the emulator is healthy, and before anything waiting for it starts (Aspire completes the ready event
    /// before a <c>WaitFor</c> returns), writes each <see cref="EmulatedSecretAnnotation"/> through the Secrets Manager
    /// API. The values go from the AppHost's memory into the request body only; the log names the secrets.
    /// </summary>
    public static IResourceBuilder<T> WithSecretsSeededWhenReady<T>(this IResourceBuilder<T> builder)
        where T : ISecretsManagerEmulatorResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The seeding logs its own lines; the client's per-request lines would only repeat the endpoint in the console.
        builder.ApplicationBuilder.Services.AddHttpClient(SecretsManagerSeeder.HttpClientName).RemoveAllLoggers();
        return builder.OnResourceReady(async (emulator, ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(emulator);
            using var http = ready.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SecretsManagerSeeder.HttpClientName);
            var seeder = new SecretsManagerSeeder(http, new Uri(emulator.DynamoDbEndpoint.Url), emulator.Region, TimeProvider.System);
            foreach (var secret in emulator.Secrets())
            {
                var value = await secret.Value.GetValueAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"Parameter {secret.Value.Name} has no value to seed secret {secret.SecretName} with.");
                try
                {
                    var seeding = await seeder.SeedAsync(secret.SecretName, value, cancellationToken);
                    logger.LogInformation("Secret {Secret} {Seeding} in Secrets Manager (from parameter {Parameter}).",
                        secret.SecretName, seeding == SecretSeeding.Created ? "created" : "updated", secret.Value.Name);
                }
                catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException)
                {
                    logger.LogError("Could not seed secret {Secret}: {Error}", secret.SecretName, exception.Message);
                    throw;
                }
            }
        });
    }

    /// <summary>
    /// Has <paramref name="builder"/> read <paramref name="configurationKey"/> from the emulator's Secrets Manager
    /// itself, through SSM (<see cref="SsmSecretReferences"/>): its environment holds the secret's SSM parameter name,
    /// the SSM endpoint, region and the local credentials, never the value. It starts once the secrets are seeded.
    /// </summary>
    public static IResourceBuilder<T> WithEnvironmentFromSecret<T>(
        this IResourceBuilder<T> builder, string configurationKey, IResourceBuilder<ISecretsManagerEmulatorResource> emulator, string secretName)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configurationKey);
        ArgumentNullException.ThrowIfNull(emulator);
        var secret = emulator.Resource.Secrets().SingleOrDefault(s => s.SecretName == secretName)
            ?? throw new InvalidOperationException($"{emulator.Resource.Name} seeds no secret '{secretName}'; add it with WithSecret first.");
        return builder
            .WithEnvironment(SsmSecretReferences.EnvironmentVariable(configurationKey), secret.SsmParameterName)
            .WithEnvironment(SsmSecretReferences.SsmEndpoint, emulator.Resource.DynamoDbEndpoint)
            .WithEnvironment(WorkerVariables.SdkRegion, emulator.Resource.Region)
            .WithEnvironment(WorkerVariables.AccessKeyId, LocalAwsCredentials.AccessKeyId)
            .WithEnvironment(WorkerVariables.SecretAccessKey, LocalAwsCredentials.SecretAccessKey)
            .WaitFor(emulator);
    }
}
