using TwitterStream.AppHost.XApi;

namespace TwitterStream.AppHost;

/// <summary>The AppHost's policy for the emulator it chose: names, ports, image tag, region and the seeded secrets.</summary>
public static class AwsEmulatorSetup
{
    public const string LocalStackName = "localstack";
    public const string MotoName = "moto";
    public const string DynamoDbLocalName = "dynamodb-local";
    public const string AuthTokenParameter = "localstack-auth-token";

    /// <summary>
    /// Adds the chosen emulator on its fixed DynamoDB port. LocalStack and moto also hold the X credentials in Secrets
    /// Manager, seeded the same way; LocalStack's auth token (<c>LOCALSTACK_AUTH_TOKEN</c>, for tags newer than 4.14.0)
    /// is passed on as a secret parameter when set.
    /// </summary>
    public static IResourceBuilder<IAwsEmulatorResource> AddAwsEmulator(
        this IDistributedApplicationBuilder builder, AwsEmulatorChoice choice, TwitterStreamSettings settings, XCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(credentials);
        var port = settings.DynamoDbPortFor(choice.Emulator);
        IResourceBuilder<IAwsEmulatorResource> emulator = choice.Emulator switch
        {
            AwsEmulatorSetting.LocalStack => WithCredentials(builder.AddLocalStack(
                LocalStackName, port, settings.LocalStackImageTag, settings.Region, LocalStackAuthToken(builder)), credentials),
            AwsEmulatorSetting.Moto => WithCredentials(builder.AddMoto(MotoName, port, settings.Region), credentials),
            _ => builder.AddDynamoDbLocal(DynamoDbLocalName, port, settings.Region),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            started.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TwitterStream.AppHost")
                .LogInformation("AWS emulator: {Emulator} on port {Port}, because {Reason}.", emulator.Resource.Name, port, choice.Reason);
            return Task.CompletedTask;
        });
        return emulator;
    }

    private static IResourceBuilder<ParameterResource>? LocalStackAuthToken(IDistributedApplicationBuilder builder) =>
        string.IsNullOrEmpty(builder.Configuration["LOCALSTACK_AUTH_TOKEN"])
            ? null
            : builder.AddParameterFromConfiguration(AuthTokenParameter, "LOCALSTACK_AUTH_TOKEN", secret: true);

    private static IResourceBuilder<T> WithCredentials<T>(IResourceBuilder<T> emulator, XCredentials credentials)
        where T : ISecretsManagerEmulatorResource
    {
        foreach (var credential in credentials.All)
        {
            emulator.WithSecret(credential.SecretName, credential.Parameter);
        }

        return emulator;
    }
}
