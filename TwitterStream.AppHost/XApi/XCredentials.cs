using TwitterStream.Contracts;

namespace TwitterStream.AppHost.XApi;

/// <summary>One X API credential: the Aspire parameter that holds it, and where the worker and Secrets Manager want it.</summary>
public sealed record XCredential(IResourceBuilder<ParameterResource> Parameter, string WorkerVariable, string SecretName);

/// <summary>The X app's consumer key and secret, as secret parameters.</summary>
public sealed record XCredentials(XCredential ConsumerKey, XCredential ConsumerSecret)
{
    public const string ConsumerKeyParameter = "consumer-key";
    public const string ConsumerSecretParameter = "consumer-secret";

    public IEnumerable<XCredential> All => [ConsumerKey, ConsumerSecret];
}

public static class XCredentialsExtensions
{
    /// <summary>
    /// With the simulator in run mode, generated once and kept in the AppHost's user secrets, so a first run needs no
    /// setup; otherwise (the real X API, or the manifest) plain secret parameters whose values the user supplies.
    /// </summary>
    public static XCredentials AddXCredentials(this IDistributedApplicationBuilder builder, StreamSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var generate = source == StreamSource.Simulator && builder.ExecutionContext.IsRunMode;
        return new XCredentials(
            new(Add(builder, XCredentials.ConsumerKeyParameter, generate), WorkerVariables.ConsumerKey, "twitterstream/consumer-key"),
            new(Add(builder, XCredentials.ConsumerSecretParameter, generate), WorkerVariables.ConsumerSecretKey, "twitterstream/consumer-secret"));
    }

    private static IResourceBuilder<ParameterResource> Add(IDistributedApplicationBuilder builder, string name, bool generate) =>
        generate
            ? builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true)
            : builder.AddParameter(name, secret: true)
                .WithDescription($"Your X app's {name.Replace('-', ' ')} (developer.x.com → your app → Keys and tokens).");
}
