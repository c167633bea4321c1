using TwitterStream.AppHost.XApi;

namespace TwitterStream.AppHost;

/// <summary>The AppHost's policy for the emulator it chose: names, ports, image tag, region and the seeded secrets.</summary>
public static class AwsEmulatorSetup
{
    public const string LocalStackName = "localstack";
    public const string DynamoDbLocalName = "dynamodb-local";
    public const string AuthTokenParameter = "localstack-auth-token";

    /// <summary>
    /// Adds the chosen emulator on its fixed DynamoDB port. LocalStack also holds the X credentials in Secrets Manager;
    /// its auth token (<c>LOCALSTACK_AUTH_TOKEN</c>, for tags newer than 4.14.0) is passed on as a secret parameter when set.
    /// </summary>
    public static IResourceBuilder<IAwsEmulatorResource> AddAwsEmulator(
        this IDistributedApplicationBuilder builder, AwsEmulatorChoice choice, TwitterStreamSettings settings, XCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credentials);
        var port = settings.DynamoDbPortFor(choice.Emulator);
        IResourceBuilder<IAwsEmulatorResource> emulator;
        if (choice.Emulator == AwsEmulatorSetting.LocalStack)
        {
            var authToken = string.IsNullOrEmpty(builder.Configuration["LOCALSTACK_AUTH_TOKEN"])
                ? null
                : builder.AddParameterFromConfiguration(AuthTokenParameter, "LOCALSTACK_AUTH_TOKEN", secret: true);
            var localStack = builder.AddLocalStack(LocalStackName, port, settings.LocalStackImageTag, settings.Region, authToken);
            foreach (var credential in credentials.All)
            {
                localStack.WithSecret(credential.SecretName, credential.Parameter);
            }

            emulator = localStack;
        }
        else
        {
            emulator = builder.AddDynamoDbLocal(DynamoDbLocalName, port, settings.Region);
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            started.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TwitterStream.AppHost")
                .LogInformation("AWS emulator: {Emulator} on port {Port}, because {Reason}.", emulator.Resource.Name, port, choice.Reason);
            return Task.CompletedTask;
        });
        return emulator;
    }
}
