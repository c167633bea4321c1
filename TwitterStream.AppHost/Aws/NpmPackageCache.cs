using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TwitterStream.AppHost.Aws;

/// <summary>
/// One folder of an npm package, fetched once with <c>npm pack</c>, checked against a pinned SHA-256 and unpacked into
/// <see cref="NpmPackageCache.CacheRoot"/>. <paramref name="MarkerFile"/> (relative to the install folder) shows it is there.
/// </summary>
public sealed record NpmDistribution(string Package, string TarballSha256, string FolderInTarball, string InstallFolderName, string MarkerFile)
{
    public string InstallDirectory => Path.Combine(NpmPackageCache.CacheRoot, InstallFolderName);

    public string MarkerPath => Path.Combine(InstallDirectory, MarkerFile);
}

/// <summary>
/// The cache outside the clone where AWS artefacts shipped in npm packages live (DynamoDB Local, the CloudFormation
/// resource specification), shared by the AppHost, the tests and the benchmarks so none needs a step by hand.
/// </summary>
public static class NpmPackageCache
{
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

    /// <summary>Makes sure the package's folder is in the cache, fetching it on first use. Safe to call from several processes at once.</summary>
    public static async Task<string> EnsureExtractedAsync(NpmDistribution distribution, CancellationToken cancellationToken = default)
    {
        if (File.Exists(distribution.MarkerPath))
        {
            return distribution.InstallDirectory;
        }

        Directory.CreateDirectory(CacheRoot);
        await using var installLock = await AcquireLockAsync(Path.Combine(CacheRoot, $"{distribution.InstallFolderName}.lock"), cancellationToken);
        if (File.Exists(distribution.MarkerPath))
        {
            return distribution.InstallDirectory;
        }

        var work = Path.Combine(CacheRoot, $"fetch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await NpmPackAsync(distribution, work, cancellationToken);
            await VerifySha256Async(distribution, tarball, cancellationToken);
            var staging = Path.Combine(work, "staging");
            await ExtractFolderAsync(distribution, tarball, staging, cancellationToken);
            if (!File.Exists(Path.Combine(staging, distribution.MarkerFile)))
            {
                throw new InvalidOperationException($"{distribution.Package} has no {distribution.FolderInTarball}{distribution.MarkerFile}.");
            }

            if (Directory.Exists(distribution.InstallDirectory))
            {
                Directory.Delete(distribution.InstallDirectory, recursive: true);
            }

            Directory.Move(staging, distribution.InstallDirectory);
            return distribution.InstallDirectory;
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

    private static async Task<string> NpmPackAsync(NpmDistribution distribution, string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = destination,
        };
        foreach (var arg in new[] { "pack", distribution.Package, "--silent", "--pack-destination", destination })
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
                $"{distribution.Package} is fetched with npm, which is not on PATH: install Node.js 20+ (with npm), or put {distribution.MarkerFile} in {distribution.InstallDirectory}.");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'npm pack {distribution.Package}' failed (exit {process.ExitCode}): {(await stderr).Trim()}. Check that the npm registry is reachable.");
            }
        }

        return Directory.GetFiles(destination, "*.tgz").Single();
    }

    private static async Task VerifySha256Async(NpmDistribution distribution, string tarball, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(tarball);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (hash != distribution.TarballSha256)
        {
            throw new InvalidOperationException(
                $"{distribution.Package} has SHA-256 {hash}, expected {distribution.TarballSha256}: the registry served a different file; refusing to use it.");
        }
    }

    private static async Task ExtractFolderAsync(NpmDistribution distribution, string tarball, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !entry.Name.StartsWith(distribution.FolderInTarball, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(destination, entry.Name[distribution.FolderInTarball.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{distribution.Package} holds an entry outside its folder: {entry.Name}.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }
}
