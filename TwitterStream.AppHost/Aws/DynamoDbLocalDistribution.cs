namespace TwitterStream.AppHost.Aws;

/// <summary>
/// AWS's own DynamoDB Local (1.25.1), as shipped inside the npm package <c>amplify-dynamodb-simulator@2.9.30</c>.
/// Fetched once with <c>npm pack</c>, checked against a pinned SHA-256, and unpacked into a cache outside the clone
/// (<see cref="NpmPackageCache"/>), so that the AppHost, the tests and the benchmarks share one copy.
/// </summary>
public static class DynamoDbLocalDistribution
{
    public const string NpmPackage = "amplify-dynamodb-simulator@2.9.30";
    public const string TarballSha256 = "3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9";

    private static readonly NpmDistribution Distribution =
        new(NpmPackage, TarballSha256, "package/emulator/", "dynamodb-local-1.25.1", "DynamoDBLocal.jar");

    /// <summary>The cache folder: <c>TWITTERSTREAM_CACHE</c>, else <c>$XDG_CACHE_HOME/twitterstream</c>, else <c>~/.cache/twitterstream</c>.</summary>
    public static string CacheRoot => NpmPackageCache.CacheRoot;

    public static string InstallDirectory => Distribution.InstallDirectory;

    public static string JarPath => Distribution.MarkerPath;

    public static string NativeLibraryPath => Path.Combine(InstallDirectory, "DynamoDBLocal_lib");

    /// <summary>The arguments that start DynamoDB Local with Java, in memory or on a data folder.</summary>
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

        args.AddRange(["-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return args;
    }

    /// <summary>Makes sure the jar is in the cache, fetching it on first use. Safe to call from several processes at once.</summary>
    public static Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default) =>
        NpmPackageCache.EnsureExtractedAsync(Distribution, cancellationToken);
}
