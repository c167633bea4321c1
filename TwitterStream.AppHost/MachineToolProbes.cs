using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TwitterStream.AppHost;

/// <summary>Whether a container runtime answered, with the words the AppHost logs about it.</summary>
public sealed record ContainerRuntimeProbe(bool Answers, string Description);

/// <summary>The questions the AppHost asks the machine before it picks its local tools.</summary>
public interface IToolProbes
{
    ContainerRuntimeProbe ContainerRuntime();

    /// <summary>The major version of the <c>java</c> on PATH, or null when there is none.</summary>
    int? JavaMajorVersion();

    /// <summary>Whether <c>npx</c> (Node.js) is on PATH.</summary>
    bool NodeAvailable();

    /// <summary>Whether moto's <c>moto_server</c> is on PATH.</summary>
    bool MotoServerAvailable();
}

/// <summary>
/// Asks the real machine, each question with a short timeout so a hung CLI cannot stall the start. Commands are looked
/// for in <paramref name="searchPath"/> (PATH's format), the process's PATH when null.
/// </summary>
public sealed partial class MachineToolProbes(string containerRuntime, string? searchPath = null) : IToolProbes
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The runtime Aspire itself would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, default docker).</summary>
    public static MachineToolProbes For(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new(configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime ? runtime : "docker");
    }

    public ContainerRuntimeProbe ContainerRuntime()
    {
        var (exitCode, _) = Run(containerRuntime, "info", "--format", "{{.ServerVersion}}");
        return exitCode switch
        {
            0 => new(true, $"the container runtime '{containerRuntime}' answers"),
            null => new(false, $"no container runtime ('{containerRuntime}' is not on PATH or did not answer)"),
            _ => new(false, $"no container runtime answers ('{containerRuntime} info' failed)"),
        };
    }

    public int? JavaMajorVersion()
    {
        // 'java -version' writes e.g. 'openjdk version "17.0.12" 2024-07-16' (or "1.8.0_402" for Java 8) to stderr.
        var (exitCode, output) = Run("java", "-version");
        if (exitCode != 0)
        {
            return null;
        }

        var match = JavaVersion().Match(output);
        if (!match.Success)
        {
            return null;
        }

        var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        return major == 1 ? int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture) : major;
    }

    public bool NodeAvailable() => OnPath("npx");

    public bool MotoServerAvailable() => OnPath(MotoResource.ExecutableName);

    private bool OnPath(string command) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    /// <summary>Runs a command; null exit code when it is missing or does not finish in time.</summary>
    private static (int? ExitCode, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return (null, "");
            }

            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, "");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (Win32Exception)
        {
            return (null, "");
        }
    }

    [GeneratedRegex("version \"(?<major>\\d+)(\\.(?<minor>\\d+))?")]
    private static partial Regex JavaVersion();
}
