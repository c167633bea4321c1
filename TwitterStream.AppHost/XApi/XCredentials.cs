using TwitterStream.Contracts;

namespace TwitterStream.AppHost.XApi;

/// <summary>One X API credential: the Aspire parameter that holds it, and where the worker and Secrets Manager want it.</summary>
public sealed record XCredential(IResourceBuilder<ParameterResource> Parameter, string WorkerVariable, string SecretName);

/// <summary>The X app's consumer key and secret, as secret parameters.</summary>
public sealed record XCredentials(XCredential ConsumerKey, XCredential ConsumerSecret)
{
    /// <summary>The real X app's credentials: what README tells users to set, and what the manifest asks for.</summary>
    public const string ConsumerKeyParameter = "consumer-key";
    public const string ConsumerSecretParameter = "consumer-secret";

    /// <summary>
    /// The simulator's generated credentials, under names of their own so that they never land where the real ones
    /// are looked for (a generated value stored as <c>Parameters:consumer-key</c> would be sent to api.x.com).
    /// </summary>
    public const string SimulatorConsumerKeyParameter = "simulator-consumer-key";
    public const string SimulatorConsumerSecretParameter = "simulator-consumer-secret";

    public IEnumerable<XCredential> All => [ConsumerKey, ConsumerSecret];

    /// <summary>
    /// Stops a run against the real X API before anything starts when its credentials are not configured: without
    /// this the AppHost would wait for a dashboard prompt that a non-interactive run never answers.
    /// </summary>
    public static void RequireRealCredentials(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string[] missing = [.. new[] { ConsumerKeyParameter, ConsumerSecretParameter }
            .Where(name => string.IsNullOrWhiteSpace(configuration[$"Parameters:{name}"]))
            .Select(name => $"Parameters:{name}")];
        if (missing.Length > 0)
        {
            throw new SettingsException(
                $"TwitterStream:StreamSource is x but {string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not set; give your X app's credentials with "
                + $"dotnet user-secrets set \"Parameters:{ConsumerKeyParameter}\" \"<API key>\" --project TwitterStream.AppHost and "
                + $"dotnet user-secrets set \"Parameters:{ConsumerSecretParameter}\" \"<API key secret>\" --project TwitterStream.AppHost");
        }
    }
}

public static class XCredentialsExtensions
{
    /// <summary>
    /// With the simulator in run mode, the simulator's own parameters, generated once and kept in the AppHost's user
    /// secrets so a first run needs no setup; otherwise (the real X API, or the manifest) the real ones, plain secret
    /// parameters whose values the user supplies.
    /// </summary>
    public static XCredentials AddXCredentials(this IDistributedApplicationBuilder builder, StreamSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return source == StreamSource.Simulator && builder.ExecutionContext.IsRunMode
            ? Create(Generated(builder, XCredentials.SimulatorConsumerKeyParameter), Generated(builder, XCredentials.SimulatorConsumerSecretParameter))
            : Create(Real(builder, XCredentials.ConsumerKeyParameter), Real(builder, XCredentials.ConsumerSecretParameter));
    }

    /// <summary>
    /// Gives <paramref name="builder"/> one credential under <paramref name="configurationKey"/>: read from the
    /// emulator's Secrets Manager through SSM when the emulator serves one, else the parameter's value itself.
    /// </summary>
    public static IResourceBuilder<T> WithXCredential<T>(
        this IResourceBuilder<T> builder, string configurationKey, XCredential credential, IResourceBuilder<IAwsEmulatorResource>? emulator)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credential);
        return emulator is IResourceBuilder<ISecretsManagerEmulatorResource> secretStore
            ? builder.WithEnvironmentFromSecret(configurationKey, secretStore, credential.SecretName)
            : builder.WithEnvironment(configurationKey.Replace(":", "__", StringComparison.Ordinal), credential.Parameter);
    }

    private static XCredentials Create(IResourceBuilder<ParameterResource> key, IResourceBuilder<ParameterResource> secret) => new(
        new(key, WorkerVariables.ConsumerKey, "twitterstream/consumer-key"),
        new(secret, WorkerVariables.ConsumerSecretKey, "twitterstream/consumer-secret"));

    private static IResourceBuilder<ParameterResource> Generated(IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true)
            .WithDescription("Generated for the local X API simulator only; never used with the real X API.");

    private static IResourceBuilder<ParameterResource> Real(IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, secret: true)
            .WithDescription($"Your X app's {name.Replace('-', ' ')} (developer.x.com → your app → Keys and tokens).");
}
