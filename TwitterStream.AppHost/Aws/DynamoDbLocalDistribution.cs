using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TwitterStream.AppHost.Aws;

/// <summary>
/// AWS's own DynamoDB Local (1.25.1), as shipped inside the npm package <c>amplify-dynamodb-simulator@2.9.30</c>.
/// Fetched once with <c>npm pack</c>, checked against a pinned SHA-256, and unpacked into a cache outside the clone,
/// so that the AppHost, the tests and the benchmarks share one copy and none needs a step by hand.
/// </summary>
public static class DynamoDbLocalDistribution
{
    public const string NpmPackage = "amplify-dynamodb-simulator@2.9.30";
    public const string TarballSha256 = "3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9";
    private const string EmulatorFolderInTarball = "package/emulator/";

    /// <summary>The cache folder: <c>TWITTERSTREAM_CACHE</c>, else <c>$XDG_CACHE_HOME/twitterstream</c>, else <c>~/.cache/twitterstream</c>.</summary>
    public static string CacheRoot
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("TWITTERSTREAM_CACHE");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(baseDir, "twitterstream");
        }
    }

    public static string InstallDirectory => Path.Combine(CacheRoot, "dynamodb-local-1.25.1");

    public static string JarPath => Path.Combine(InstallDirectory, "DynamoDBLocal.jar");

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
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (File.Exists(JarPath))
        {
            return InstallDirectory;
        }

        Directory.CreateDirectory(CacheRoot);
        await using var installLock = await AcquireLockAsync(Path.Combine(CacheRoot, "dynamodb-local.lock"), cancellationToken);
        if (File.Exists(JarPath))
        {
            return InstallDirectory;
        }

        var work = Path.Combine(CacheRoot, $"fetch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await NpmPackAsync(work, cancellationToken);
            await VerifySha256Async(tarball, cancellationToken);
            var staging = Path.Combine(work, "emulator");
            await ExtractEmulatorAsync(tarball, staging, cancellationToken);
            if (Directory.Exists(InstallDirectory))
            {
                Directory.Delete(InstallDirectory, recursive: true);
            }

            Directory.Move(staging, InstallDirectory);
            return InstallDirectory;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                // Another process is fetching; its result will be in the cache when it lets go.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private static async Task<string> NpmPackAsync(string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = destination,
        };
        foreach (var arg in new[] { "pack", NpmPackage, "--silent", "--pack-destination", destination })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"DynamoDB Local is fetched with npm, which is not on PATH: install Node.js 20+ (with npm), or put DynamoDBLocal.jar in {InstallDirectory}.");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'npm pack {NpmPackage}' failed (exit {process.ExitCode}): {(await stderr).Trim()}. Check that the npm registry is reachable.");
            }
        }

        return Directory.GetFiles(destination, "*.tgz").Single();
    }

    private static async Task VerifySha256Async(string tarball, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(tarball);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (hash != TarballSha256)
        {
            throw new InvalidOperationException(
                $"{NpmPackage} has SHA-256 {hash}, expected {TarballSha256}: the registry served a different file; refusing to run it.");
        }
    }

    private static async Task ExtractEmulatorAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !entry.Name.StartsWith(EmulatorFolderInTarball, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(destination, entry.Name[EmulatorFolderInTarball.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{NpmPackage} holds an entry outside its folder: {entry.Name}.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }
}
