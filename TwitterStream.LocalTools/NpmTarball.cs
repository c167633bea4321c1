using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TwitterStream.LocalTools;

/// <summary>
/// One folder of one pinned npm package, fetched with <c>npm pack</c> (no install scripts run), checked against its
/// SHA-256 and unpacked into <see cref="LocalCache"/>. Safe to call from several processes at once.
/// </summary>
/// <param name="PackageSpec">name@version, e.g. <c>amplify-dynamodb-simulator@2.9.30</c>.</param>
/// <param name="Sha256">The tarball's SHA-256, lower-case hex.</param>
/// <param name="FolderInTarball">The folder to keep, e.g. <c>package/emulator/</c>.</param>
/// <param name="CacheFolderName">The folder under the cache root that receives it.</param>
/// <param name="MarkerFile">A file (relative to that folder) whose presence means the unpacking is complete.</param>
public sealed record NpmTarball(string PackageSpec, string Sha256, string FolderInTarball, string CacheFolderName, string MarkerFile)
{
    public string InstallDirectory => Path.Combine(LocalCache.Root, CacheFolderName);

    public async Task<string> EnsureExtractedAsync(CancellationToken cancellationToken = default)
    {
        var marker = Path.Combine(InstallDirectory, MarkerFile);
        if (File.Exists(marker))
        {
            return InstallDirectory;
        }

        Directory.CreateDirectory(LocalCache.Root);
        await using var installLock = await AcquireLockAsync(Path.Combine(LocalCache.Root, CacheFolderName + ".lock"), cancellationToken);
        if (File.Exists(marker))
        {
            return InstallDirectory;
        }

        var work = Path.Combine(LocalCache.Root, $"fetch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await NpmPackAsync(work, cancellationToken);
            await VerifySha256Async(tarball, cancellationToken);
            var staging = Path.Combine(work, "unpacked");
            await ExtractAsync(tarball, staging, cancellationToken);
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
                // Another process holds the lock while it fetches; its result lands in the cache when it lets go.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private async Task<string> NpmPackAsync(string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = destination,
        };
        foreach (var arg in new[] { "pack", PackageSpec, "--silent", "--pack-destination", destination })
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
                $"{PackageSpec} is fetched with npm, which is not on PATH: install Node.js 20+ with npm, or unpack its '{FolderInTarball}' into {InstallDirectory}.");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'npm pack {PackageSpec}' failed (exit {process.ExitCode}): {(await stderr).Trim()}. Check that the npm registry is reachable.");
            }
        }

        return Directory.GetFiles(destination, "*.tgz").Single();
    }

    private async Task VerifySha256Async(string tarball, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(tarball);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (hash != Sha256)
        {
            throw new InvalidOperationException(
                $"{PackageSpec} has SHA-256 {hash}, expected {Sha256}: the registry served a different file; refusing to use it.");
        }
    }

    private async Task ExtractAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !entry.Name.StartsWith(FolderInTarball, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(destination, entry.Name[FolderInTarball.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{PackageSpec} holds an entry outside its folder: {entry.Name}.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }
}
