using System.Diagnostics;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// The AWS CLIs installed on this machine (v2 as Debian's /usr/bin/aws, v1 possibly earlier on PATH), run with dummy
/// credentials and no configuration against an endpoint where nothing listens, so that a call can only show whether the
/// CLI accepted its arguments.
/// </summary>
public static class RealAwsCli
{
    public const string UnreachableEndpoint = "http://127.0.0.1:9";
    public const string ConnectionFailure = "Could not connect to the endpoint URL";

    /// <summary>An installed CLI of that major version, or null.</summary>
    public static string? Find(int majorVersion)
    {
        var candidates = new List<string> { "/usr/bin/aws" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "aws")));
        foreach (var candidate in candidates.Distinct().Where(File.Exists))
        {
            var version = Run(candidate, ["--version"]);
            if ((version.Stdout + version.Stderr).Contains($"aws-cli/{majorVersion}.", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs the CLI with the unreachable endpoint and short timeouts appended.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunUnreachable(string cli, IEnumerable<string> args) =>
        Run(cli, [.. args, "--endpoint-url", UnreachableEndpoint, "--cli-connect-timeout", "2", "--cli-read-timeout", "2"]);

    /// <param name="environment">Applied last, e.g. an emulator's endpoint and credentials.</param>
    public static (int ExitCode, string Stdout, string Stderr) Run(string cli, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Dummy credentials and no config: the call must not reach, or be shaped by, any real account.
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDUMMYDUMMYDUMMY00";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "dummy";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_RETRY_MODE"] = "standard";
        start.Environment["AWS_PAGER"] = "";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{cli} did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
