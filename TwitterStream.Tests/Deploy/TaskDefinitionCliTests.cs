namespace TwitterStream.Tests.Deploy;

/// <summary>
/// <c>task-definition.json</c> checked by the AWS CLI v2's own parameter validation: sent to an endpoint where
/// nothing listens, it must fail on the connection, never on validation.
/// </summary>
public sealed class TaskDefinitionCliTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static (int ExitCode, string Stdout, string Stderr) Register(string cli, string file) =>
        RealAwsCli.RunUnreachable(cli, ["ecs", "register-task-definition", "--cli-input-json", $"file://{file}", "--region", "us-east-1"]);

    [Fact]
    public async Task The_AWS_CLI_accepts_the_task_definition_and_fails_only_on_the_connection()
    {
        var cli = RealAwsCli.Find(2);
        if (cli is null)
        {
            Assert.Skip("no AWS CLI v2 is installed (Debian: apt-get install awscli)");
        }

        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--account-id", "111122223333");
        Assert.True(run.ExitCode == 0, run.Error);

        var result = Register(cli, Path.Combine(_bed.Out, "task-definition.json"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Parameter validation failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(RealAwsCli.ConnectionFailure, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_check_rejects_a_task_definition_the_API_would_not_accept()
    {
        var cli = RealAwsCli.Find(2);
        if (cli is null)
        {
            Assert.Skip("no AWS CLI v2 is installed (Debian: apt-get install awscli)");
        }

        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1");
        Assert.True(run.ExitCode == 0, run.Error);
        var file = Path.Combine(_bed.Out, "task-definition.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"readonlyRootFilesystem\"", "\"readOnlyRootFilesystem\"", StringComparison.Ordinal));

        var result = Register(cli, file);

        Assert.Contains("Parameter validation failed", result.Stderr, StringComparison.Ordinal);
    }
}
