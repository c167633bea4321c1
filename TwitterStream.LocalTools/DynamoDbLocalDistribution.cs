using System.Globalization;

namespace TwitterStream.LocalTools;

/// <summary>
/// AWS's own DynamoDB Local (1.25.1), as shipped inside the npm package <c>amplify-dynamodb-simulator@2.9.30</c>, so the
/// AppHost, the tests and the benchmarks share one cached copy and none needs a step by hand.
/// </summary>
public static class DynamoDbLocalDistribution
{
    public static readonly NpmTarball Package = new(
        PackageSpec: "amplify-dynamodb-simulator@2.9.30",
        Sha256: "3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9",
        FolderInTarball: "package/emulator/",
        CacheFolderName: "dynamodb-local-1.25.1",
        MarkerFile: "DynamoDBLocal.jar");

    public static string InstallDirectory => Package.InstallDirectory;

    public static string JarPath => Path.Combine(InstallDirectory, "DynamoDBLocal.jar");

    public static string NativeLibraryPath => Path.Combine(InstallDirectory, "DynamoDBLocal_lib");

    /// <summary>
    /// The arguments that start DynamoDB Local with Java, in memory or on a data folder that survives restarts, with
    /// telemetry off and CORS granted only to <paramref name="corsOrigins"/> (none by default: the SDKs, the CLI and
    /// dynamodb-admin's server call it directly, and no web page needs to). Every user of DynamoDB Local (the AppHost,
    /// the tests and the benchmarks) starts it with these.
    /// </summary>
    public static IReadOnlyList<string> JavaArguments(int port, string? dataDirectory = null, IReadOnlyCollection<string>? corsOrigins = null)
    {
        List<string> args = [$"-Djava.library.path={NativeLibraryPath}", "-jar", JarPath];
        if (dataDirectory is null)
        {
            args.Add("-inMemory");
        }
        else
        {
            args.AddRange(["-dbPath", dataDirectory]);
        }

        // -cors takes a comma-separated allow-list of exact Origin values; an empty list allows no origin. Without the
        // option, -help promises '*'.
        args.AddRange(["-port", port.ToString(CultureInfo.InvariantCulture), "-disableTelemetry", "-cors", string.Join(',', corsOrigins ?? [])]);
        return args;
    }

    public static Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default) =>
        Package.EnsureExtractedAsync(cancellationToken);
}
