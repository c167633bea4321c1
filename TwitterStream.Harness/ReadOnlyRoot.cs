using System.Diagnostics;
using System.Globalization;

namespace TwitterStream.Harness;

/// <summary>
/// Runs a process under the constraints of a Fargate container with <c>readonlyRootFilesystem</c>: in a private mount
/// namespace whose root is remounted read-only (optionally with a writable tmpfs at <c>/tmp</c>, as a task volume would
/// give), optionally as a non-root user id. Needs root, <c>unshare</c> and <c>setpriv</c>;
/// <see cref="WhyUnavailableAsync"/> says when the machine cannot do it.
/// </summary>
public static class ReadOnlyRoot
{
    /// <summary>Prefix for <see cref="LaunchOptions.Wrapper"/>; it execs the command after it, so the pid stays the app's.</summary>
    /// <param name="userId">Numeric user (and group) id to run as, like a task definition's <c>user</c>; null keeps root.</param>
    /// <param name="writableTmp">Mount an empty tmpfs at /tmp; false leaves /tmp read-only like the rest.</param>
    public static IReadOnlyList<string> Wrapper(string? userId = null, bool writableTmp = false)
    {
        if (userId is not null && !uint.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"'{userId}' is not a numeric user id.", nameof(userId));
        }

        var script = "mount -o remount,bind,ro /"
            + (writableTmp ? " && mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp" : "")
            + " && exec "
            + (userId is null ? "" : $"setpriv --reuid={userId} --regid={userId} --clear-groups ")
            + "\"$@\"";
        return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "read-only-root"];
    }

    /// <summary>Null when a process wrapped this way really gets a read-only root (and runs at all); otherwise the reason.</summary>
    public static async Task<string?> WhyUnavailableAsync(string? userId = null, bool writableTmp = false, CancellationToken cancellationToken = default)
    {
        var wrapper = Wrapper(userId, writableTmp);
        var probe = new ProcessStartInfo(wrapper[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in wrapper.Skip(1).Concat(["/bin/sh", "-c", "touch /.read-only-root-probe 2>/dev/null && { rm -f /.read-only-root-probe; exit 3; }; exit 0"]))
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
                _ => $"unshare/mount/setpriv failed (exit {process.ExitCode}): {error.Trim()}",
            };
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"unshare cannot be started: {exception.Message}";
        }
    }
}
