using System.Diagnostics;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// <c>task-definition.json</c> checked by the AWS CLI v2's own parameter validation: sent to an endpoint where
/// nothing listens, it must fail on the connection, never on validation.
/// </summary>
public sealed class TaskDefinitionCliTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static string? FindAwsCliV2()
    {
        var candidates = new List<string> { "/usr/bin/aws" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "aws")));
        foreach (var candidate in candidates.Distinct().Where(File.Exists))
        {
            var version = RunCli(candidate, ["--version"]);
            if ((version.Stdout + version.Stderr).Contains("aws-cli/2.", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int ExitCode, string Stdout, string Stderr) RunCli(string cli, IEnumerable<string> args)
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

    private static (int ExitCode, string Stdout, string Stderr) Register(string cli, string file) => RunCli(cli,
    [
        "ecs", "register-task-definition",
        "--cli-input-json", $"file://{file}",
        "--endpoint-url", "http://127.0.0.1:9",
        "--region", "us-east-1",
        "--cli-connect-timeout", "2",
        "--cli-read-timeout", "2",
    ]);

    [Theory]
    [MemberData(nameof(DeployManifests.All), MemberType = typeof(DeployManifests))]
    public async Task The_AWS_CLI_accepts_the_task_definition_and_fails_only_on_the_connection(string manifest)
    {
        var cli = FindAwsCliV2();
        if (cli is null)
        {
            Assert.Skip("no AWS CLI v2 is installed (Debian: apt-get install awscli)");
        }

        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.PathOf(manifest), "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");
        Assert.True(run.ExitCode == 0, run.Error);

        var result = Register(cli, Path.Combine(_bed.Out, "task-definition.json"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Parameter validation failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Could not connect to the endpoint URL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_check_rejects_a_task_definition_the_API_would_not_accept()
    {
        var cli = FindAwsCliV2();
        if (cli is null)
        {
            Assert.Skip("no AWS CLI v2 is installed (Debian: apt-get install awscli)");
        }

        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.FixturePath, "--out", _bed.Out, "--region", "us-east-1");
        Assert.True(run.ExitCode == 0, run.Error);
        var file = Path.Combine(_bed.Out, "task-definition.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"readonlyRootFilesystem\"", "\"readOnlyRootFilesystem\"", StringComparison.Ordinal));

        var result = Register(cli, file);

        Assert.Contains("Parameter validation failed", result.Stderr, StringComparison.Ordinal);
    }
}
