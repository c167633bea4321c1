using System.Runtime.Versioning;

namespace TwitterStream.Harness;

/// <summary>
/// An app's build output copied, as its container image holds it, into a folder every user can enter and read: a
/// process run as another user (a task definition's non-root user id) cannot reach the clone's own output when the
/// clone sits in a folder only its owner may enter (mode 700, as many home folders and <c>mktemp -d</c> are).
/// </summary>
public sealed class AppImageCopy : IDisposable
{
    /// <summary>Outside /tmp, which a read-only-root run may cover with its own tmpfs.</summary>
    private const string Parent = "/var/tmp";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private AppImageCopy(string directory) => Directory = directory;

    /// <summary>The folder holding the copy: pass it as <see cref="LaunchOptions.AppDirectory"/>.</summary>
    public string Directory { get; }

    /// <summary>Null when a copy can be made here; otherwise why not.</summary>
    public static string? WhyUnavailable() =>
        OperatingSystem.IsWindows() ? "file modes are a Unix matter"
        : !System.IO.Directory.Exists(Parent) ? $"{Parent} does not exist"
        : !File.GetUnixFileMode(Parent).HasFlag(UnixFileMode.OtherExecute) ? $"{Parent} cannot be entered by other users"
        : null;

    /// <summary>Copies the output folder of <paramref name="assemblyName"/> (the one <see cref="DotnetApp"/> would start).</summary>
    public static AppImageCopy Create(string assemblyName)
    {
        var reason = WhyUnavailable();
        if (reason is not null || OperatingSystem.IsWindows())
        {
            throw new InvalidOperationException($"Cannot copy {assemblyName} where every user can read it: {reason}.");
        }

        var source = Path.GetDirectoryName(DotnetApp.Locate(assemblyName))!;
        var target = Path.Combine(Parent, $"twitterstream-{assemblyName.ToLowerInvariant()}-{Guid.NewGuid():N}");
        var copy = new AppImageCopy(target);
        try
        {
            CopyFolder(source, target);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void CopyFolder(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target, FolderMode);
        File.SetUnixFileMode(target, FolderMode); // the umask may have taken bits away
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
        {
            var copied = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copied);
            File.SetUnixFileMode(copied, FileMode);
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(source))
        {
            CopyFolder(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
