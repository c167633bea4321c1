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

    /// <summary>The arguments that start DynamoDB Local with Java, in memory or on a data folder that survives restarts.</summary>
    public static IReadOnlyList<string> JavaArguments(int port, string? dataDirectory = null)
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

        args.AddRange(["-port", port.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    public static Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default) =>
        Package.EnsureExtractedAsync(cancellationToken);
}
