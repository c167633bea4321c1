using System.Reflection;

namespace TwitterStream.Contracts;

/// <summary>
/// The AppHost's user-secrets id, where the real X credentials are kept; the deploy tool reads them from the same
/// store. Its one home is <c>AppHostUserSecretsId</c> in Directory.Build.props, which the AppHost's project uses too.
/// </summary>
public static class AppHostUserSecrets
{
    public static string Id { get; } =
        typeof(AppHostUserSecrets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AppHostUserSecretsId").Value
        ?? throw new InvalidOperationException("AppHostUserSecretsId is not set in Directory.Build.props.");
}
