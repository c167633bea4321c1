namespace TwitterStream.AppHost.XApi;

/// <summary>The local X API simulator: same paths and stream format as X, with a ledger of what it sent.</summary>
public static class StreamSimulatorExtensions
{
    public const string ConfigurationSection = "Simulator";

    private static readonly HashSet<string> CredentialKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "ConsumerKey", "ConsumerSecret", "BearerToken",
    };

    /// <summary>
    /// Adds the simulator with the consumer credentials it accepts (read from the emulator's Secrets Manager, as the
    /// worker reads them, when it serves one), and forwards the AppHost's <c>Simulator:*</c>
    /// configuration as <c>Simulator__*</c> environment variables (rate, total posts, faults…).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddStreamSimulator(
        this IDistributedApplicationBuilder builder, string name, XCredentials credentials, IResourceBuilder<IAwsEmulatorResource>? emulator = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(credentials);
        var simulator = builder.AddProject<Projects.TwitterStream_Simulator>(name)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithXCredential($"{ConfigurationSection}:ConsumerKey", credentials.ConsumerKey, emulator)
            .WithXCredential($"{ConfigurationSection}:ConsumerSecret", credentials.ConsumerSecret, emulator)
            .WithUrlForEndpoint("http", url => url.DisplayText = "X API")
            .ExcludeFromManifest();
        simulator.WithUrl(ReferenceExpression.Create($"{simulator.GetEndpoint("http")}/_sim/ledger"), "Ledger");

        foreach (var (key, value) in builder.Configuration.GetSection(ConfigurationSection).AsEnumerable(makePathsRelative: true))
        {
            // The credentials come from the parameters only, so that the simulator and the worker always agree.
            if (value is not null && !CredentialKeys.Contains(key))
            {
                simulator.WithEnvironment($"{ConfigurationSection}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }

        return simulator;
    }
}
