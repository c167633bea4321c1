using System.Diagnostics;

namespace TwitterStream.Harness;

/// <summary>
/// Runs a process the way Fargate runs a container with <c>readonlyRootFilesystem</c>: in a private mount namespace
/// whose root is remounted read-only, with an empty writable tmpfs at <c>/tmp</c> (the task's scratch volume). Needs
/// root and <c>unshare</c>; <see cref="WhyUnavailableAsync"/> says when the machine cannot do it.
/// </summary>
public static class ReadOnlyRoot
{
    private const string Script = "mount -o remount,bind,ro / && mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp && exec \"$@\"";

    /// <summary>Prefix for <see cref="LaunchOptions.Wrapper"/>; it execs the command after it, so the pid stays the app's.</summary>
    public static IReadOnlyList<string> Wrapper { get; } =
        ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script, "read-only-root"];

    /// <summary>Null when a wrapped process really gets a read-only root and a writable /tmp; otherwise the reason.</summary>
    public static async Task<string?> WhyUnavailableAsync(CancellationToken cancellationToken = default)
    {
        var probe = new ProcessStartInfo(Wrapper[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in Wrapper.Skip(1).Concat(["/bin/sh", "-c", "touch /.read-only-root-probe 2>/dev/null && { rm -f /.read-only-root-probe; exit 3; }; touch /tmp/probe"]))
        {
            probe.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(probe)!;
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode switch
            {
                0 => null,
                3 => "the root filesystem stayed writable inside the mount namespace",
                _ => $"unshare/mount failed (exit {process.ExitCode}): {error.Trim()}",
            };
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"unshare cannot be started: {exception.Message}";
        }
    }
}
