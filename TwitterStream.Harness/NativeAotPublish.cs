using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TwitterStream.Harness;

/// <summary>
/// One of the solution's apps published as Native AOT for linux-x64 into a temporary folder, as its container image
/// holds it (<c>dotnet publish -c Release -r linux-x64</c>; the project sets PublishAot). The ILC step links with
/// <c>clang</c>, so it needs a Linux x64 machine with clang on PATH. Deleted on dispose.
/// </summary>
public sealed class NativeAotPublish : IDisposable
{
    public const string RuntimeIdentifier = "linux-x64";

    /// <summary>A publish whose ILC and link take longer than this is stuck (it takes about a minute on two idle cores).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private NativeAotPublish(string directory, TimeSpan took)
    {
        Directory = directory;
        Took = took;
    }

    /// <summary>The folder holding the native executable.</summary>
    public string Directory { get; }

    /// <summary>How long <c>dotnet publish</c> took.</summary>
    public TimeSpan Took { get; }

    /// <summary>How to start the published executable with <see cref="DotnetApp"/>, <see cref="WorkerProcess"/> or <see cref="LocalSystem"/>.</summary>
    public LaunchOptions Launch(string? transcriptPath = null) => new(TranscriptPath: transcriptPath, AppDirectory: Directory, NativeExecutable: true);

    /// <summary>Null when this machine can publish Native AOT; otherwise why not and how to fix it, in one line.</summary>
    public static string? WhyUnavailable() =>
        !OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64
            ? $"Native AOT is published for {RuntimeIdentifier} and cannot be cross-compiled from {RuntimeInformation.RuntimeIdentifier}"
        : ExecutableSearch.OnPath("clang") is null
            ? "no clang on PATH: the Native AOT publish links with it (apt-get install clang)"
        : null;

    /// <summary>Publishes the app <paramref name="assemblyName"/> (its project sits in the clone's folder of that name).</summary>
    /// <exception cref="InvalidOperationException">One line: the machine cannot publish Native AOT, or the publish failed (with its last output).</exception>
    public static async Task<NativeAotPublish> PublishAsync(string assemblyName, CancellationToken cancellationToken = default)
    {
        if (WhyUnavailable() is { } reason)
        {
            throw new InvalidOperationException($"Cannot publish {assemblyName} as Native AOT: {reason}.");
        }

        var project = Path.Combine(Repository.Root, assemblyName, assemblyName + ".csproj");
        var directory = Path.Combine(Path.GetTempPath(), $"twitterstream-{assemblyName.ToLowerInvariant()}-aot-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        await using var publish = ManagedProcess.Start(
            $"dotnet publish {assemblyName}",
            DotnetApp.DotnetHost,
            ["publish", project, "-c", "Release", "-r", RuntimeIdentifier, "-o", directory, "--nologo", "-v", "quiet"]);
        int exitCode;
        using (cancellationToken.Register(publish.Terminate))
        {
            exitCode = await publish.WaitForExitAsync(PublishTimeout);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var published = new NativeAotPublish(directory, clock.Elapsed);
        if (exitCode != 0 || !File.Exists(Path.Combine(directory, assemblyName)))
        {
            published.Dispose();
            throw new InvalidOperationException(
                $"dotnet publish of {assemblyName} as Native AOT failed (exit code {exitCode}):{Environment.NewLine}{publish.RecentOutput}");
        }

        return published;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
