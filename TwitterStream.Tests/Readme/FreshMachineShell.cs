using System.Diagnostics;

namespace TwitterStream.Tests.Readme;

/// <summary>
/// bash as on a machine with no AWS configuration: an empty <c>HOME</c>, no <c>AWS_*</c> variable, and <c>aws</c> on
/// PATH meaning the CLI given; commands start in that <c>HOME</c>, so files they write stay there.
/// </summary>
public sealed class FreshMachineShell : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("twitterstream-home-");
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("twitterstream-bin-");

    public FreshMachineShell(string awsCli) => File.CreateSymbolicLink(Path.Combine(_bin.FullName, "aws"), awsCli);

    public (int ExitCode, string Stdout, string Stderr) Run(string commandLine)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _home.FullName };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = _home.FullName;
        start.Environment["PATH"] = _bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish within {Timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        _bin.Delete(recursive: true);
        _home.Delete(recursive: true);
    }
}
