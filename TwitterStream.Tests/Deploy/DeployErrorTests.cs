using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Deploy;

/// <summary>Each problem a user can hit ends the run with exit code 1 and one line that says what to do.</summary>
public sealed class DeployErrorTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public DeployErrorTests()
    {
        _bed.Environment["Parameters__consumer-key"] = "k";
        _bed.Environment["Parameters__consumer-secret"] = "s";
    }

    public void Dispose() => _bed.Dispose();

    private static string OneLineError(ToolRun run)
    {
        Assert.Equal(1, run.ExitCode);
        var message = run.Error.TrimEnd('\n');
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("error: ", message, StringComparison.Ordinal);
        return message;
    }

    private Task<ToolRun> DeployAsync(string manifest) =>
        _bed.RunAsync("deploy", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1", "--image-tag", "abc1234");

    [Fact]
    public async Task A_missing_AWS_CLI_says_how_to_install_it()
    {
        File.Delete(Path.Combine(_bed.Bin, "aws"));
        _bed.Environment["PATH"] = _bed.Bin;

        var message = OneLineError(await DeployAsync(DeployManifests.CommittedPath));

        Assert.Contains("AWS CLI", message, StringComparison.Ordinal);
        Assert.Contains("--aws-cli", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_credentials_stop_the_deploy_before_any_change()
    {
        File.WriteAllText(Path.Combine(_bed.State, "no-credentials"), "");

        var message = OneLineError(await DeployAsync(DeployManifests.CommittedPath));

        Assert.Contains("no usable AWS credentials", message, StringComparison.Ordinal);
        Assert.Contains("aws configure", message, StringComparison.Ordinal);
        Assert.Equal(["aws --version", "aws sts get-caller-identity --output json --region us-east-1"], _bed.RecordedCommands());
    }

    [Fact]
    public async Task An_unknown_resource_type_is_named_with_its_resource()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => m["resources"]!["cache"] = new JsonObject { ["type"] = "container.v0", ["image"] = "redis:7" });

        var message = OneLineError(await DeployAsync(manifest));

        Assert.Contains("'cache'", message, StringComparison.Ordinal);
        Assert.Contains("'container.v0'", message, StringComparison.Ordinal);
        Assert.Empty(_bed.RecordedCommands());
    }

    [Fact]
    public async Task An_unknown_expression_is_named_with_its_resource_and_variable()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => DeployManifests.Worker(m)["env"]![WorkerVariables.RuleTag] = "{posts.connectionString}");

        var message = OneLineError(await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1"));

        Assert.Contains("'worker' env RULE_TAG", message, StringComparison.Ordinal);
        Assert.Contains("{posts.connectionString}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{worker.bindings.https.targetPort}")]
    [InlineData("key={consumer-key.value}")]
    [InlineData("{nothing.value}")]
    public async Task Expressions_outside_the_contract_are_refused(string expression)
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"),
            m => DeployManifests.Worker(m)["env"]![WorkerVariables.RuleTag] = expression);

        var message = OneLineError(await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1"));

        Assert.Contains("'worker' env RULE_TAG", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_without_a_value_names_the_three_ways_to_give_it()
    {
        _bed.Environment.Remove("Parameters__consumer-key");

        var message = OneLineError(await DeployAsync(DeployManifests.CommittedPath));

        Assert.Contains("parameter 'consumer-key' has no value", message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set \"Parameters:consumer-key\"", message, StringComparison.Ordinal);
        Assert.Contains("Parameters__consumer-key", message, StringComparison.Ordinal);
        Assert.Contains("terminal", message, StringComparison.Ordinal);
        Assert.Empty(_bed.RecordedCommands());
    }

    [Fact]
    public async Task A_parameter_from_the_AppHost_user_secrets_is_used()
    {
        _bed.Environment.Remove("Parameters__consumer-key");
        var secrets = Path.Combine(_bed.Root, "no-user-secrets", "secrets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
        File.WriteAllText(secrets, """{ "Parameters:consumer-key": "from-user-secrets" }""");

        var run = await DeployAsync(DeployManifests.CommittedPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("from-user-secrets", File.ReadAllText(Path.Combine(_bed.State, "secrets", "twitterstream_consumer-key")));
    }

    [Fact]
    public async Task Fargate_sizes_that_do_not_exist_are_refused()
    {
        var manifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "manifest.json"), m =>
        {
            var service = DeployManifests.Resource(m, ManifestSchema.FargateService.Type);
            service[ManifestSchema.FargateService.Cpu] = "256";
            service[ManifestSchema.FargateService.Memory] = "4096";
        });

        var message = OneLineError(await _bed.RunAsync("plan", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1"));

        Assert.Contains("'worker-fargate'", message, StringComparison.Ordinal);
        Assert.Contains("256 / memory 4096", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_region_and_unknown_options_are_refused()
    {
        Assert.Contains("--region", OneLineError(await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out)), StringComparison.Ordinal);
        Assert.Contains("--regoin", OneLineError(await _bed.RunAsync("plan", "--regoin", "x", "--region", "us-east-1")), StringComparison.Ordinal);
        Assert.Contains("--spot and --on-demand contradict each other", OneLineError(await _bed.RunAsync("plan", "--spot", "--on-demand", "--region", "us-east-1")), StringComparison.Ordinal);
        Assert.Contains("--arch x86 is not a Fargate architecture: use x64 or arm64.", OneLineError(await _bed.RunAsync("plan", "--arch", "x86", "--region", "us-east-1")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE_ROLLBACK_FAILED", "continue-update-rollback")]
    [InlineData("ROLLBACK_COMPLETE", "destroy --force")]
    [InlineData("ROLLBACK_FAILED", "destroy --force")]
    [InlineData("CREATE_FAILED", "destroy --force")]
    [InlineData("DELETE_FAILED", "'twitterstream-deploy destroy' again")]
    [InlineData("IMPORT_ROLLBACK_FAILED", "describe-stack-events")]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", "wait until it finishes")]
    [InlineData("DELETE_IN_PROGRESS", "wait until it finishes")]
    public async Task Each_state_a_deploy_cannot_start_from_gets_one_line_saying_what_to_do(string status, string remedy)
    {
        File.WriteAllText(Path.Combine(_bed.State, "stack"), status);

        var message = OneLineError(await DeployAsync(DeployManifests.CommittedPath));

        Assert.Contains($"stack twitterstream is {status}: ", message, StringComparison.Ordinal);
        Assert.Contains(remedy, message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.Contains("cloudformation deploy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_left_scheduled_for_deletion_by_destroy_stop_the_next_deploy_before_the_stack_is_touched()
    {
        Assert.Equal(0, (await DeployAsync(DeployManifests.CommittedPath)).ExitCode);
        Assert.Equal(0, (await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, "--region", "us-east-1")).ExitCode);
        _bed.ClearLog();

        var message = OneLineError(await DeployAsync(DeployManifests.CommittedPath));

        // Found through describe-secret's DeletedDate (the stand-in gives no error text to match).
        Assert.Contains("secret twitterstream/consumer-key is scheduled for deletion", message, StringComparison.Ordinal);
        Assert.Contains("destroy --force", message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.Contains("cloudformation deploy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uncommitted_changes_stop_a_deploy_that_would_tag_the_image_with_the_commit()
    {
        var repository = Path.Combine(_bed.Root, "clone");
        var manifest = DeployManifests.WriteVariant(Path.Combine(repository, "aspire-manifest", "aspire-manifest.json"), _ => { });
        Git(repository, "init", "-q");
        Git(repository, "add", ".");
        Git(repository, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "manifest");
        var commit = Git(repository, "rev-parse", "--short", "HEAD").Trim();
        string[] deploy = ["deploy", "--manifest", manifest, "--out", _bed.Out, "--region", "us-east-1", "--arch", "arm64"];

        File.WriteAllText(Path.Combine(repository, "new-source.cs"), "// not committed");
        var message = OneLineError(await _bed.RunAsync(deploy));
        Assert.Contains("1 uncommitted change(s) (first: '?? new-source.cs')", message, StringComparison.Ordinal);
        Assert.Contains("--image-tag", message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.Contains("cloudformation deploy", StringComparison.Ordinal));

        File.Delete(Path.Combine(repository, "new-source.cs"));
        var clean = await _bed.RunAsync(deploy);
        Assert.True(clean.ExitCode == 0, clean.Error);
        var publish = Assert.Single(_bed.RecordedCommands(), c => c.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.Contains($"--arch arm64 ", publish, StringComparison.Ordinal);
        // Built on this (x64) test bed, the arm64 image cannot be Native AOT: its tag says it is the JIT-compiled one.
        Assert.EndsWith($"-p:ContainerImageTag={commit}-arm64-jit -p:PublishAot=false", publish, StringComparison.Ordinal);
    }

    private static string Git(string folder, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
