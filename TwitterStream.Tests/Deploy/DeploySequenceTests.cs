using TwitterStream.Deploy;
using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Tests.Deploy;

/// <summary>The commands deploy, a second deploy and destroy run, recorded by the stand-in <c>aws</c> and <c>dotnet</c>.</summary>
public sealed class DeploySequenceTests : IDisposable
{
    private const string Tag = "abc1234";
    private const string Region = "--region=us-east-1";
    private readonly DeployTestBed _bed = new();

    public DeploySequenceTests()
    {
        _bed.Environment["Parameters__consumer-key"] = "test-consumer-key";
        _bed.Environment["Parameters__consumer-secret"] = "test-consumer-secret";
    }

    public void Dispose() => _bed.Dispose();

    private const string Network = "Subnets=subnet-0a,subnet-0b SecurityGroups=sg-0standin";

    private static string DescribeSecret(string name) =>
        $"aws secretsmanager describe-secret --secret-id twitterstream/{name} --output json --region us-east-1";

    private static readonly string[] NetworkLookup =
    [
        "aws ec2 describe-vpcs --filters Name=isDefault,Values=true --output json --region us-east-1",
        "aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-0standin Name=default-for-az,Values=true --output json --region us-east-1",
        "aws ec2 describe-security-groups --filters Name=vpc-id,Values=vpc-0standin Name=group-name,Values=default --output json --region us-east-1",
    ];

    private const string DescribeImages =
        "aws ecr describe-images --repository-name twitterstream/worker --image-ids imageTag=abc1234 --output json --region us-east-1";

    private const string FullStackDeploy =
        "aws cloudformation deploy --stack-name twitterstream --template-file <out>/template.json --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides Stage=full ImageUri=123456789012.dkr.ecr.us-east-1.amazonaws.com/twitterstream/worker@" + Digest + " " + Network + " AssignPublicIp=ENABLED --region us-east-1";

    private const string DescribeServices = "aws ecs describe-services --cluster twitterstream --services worker --output json --region us-east-1";

    private static readonly string[] FirstDeploy =
    [
        "aws --version",
        "aws sts get-caller-identity --output json --region us-east-1",
        .. NetworkLookup,
        "aws cloudformation describe-stacks --stack-name twitterstream --output json --region us-east-1",
        DescribeSecret("consumer-key"),
        DescribeSecret("consumer-secret"),
        "aws cloudformation deploy --stack-name twitterstream --template-file <out>/template.json --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --parameter-overrides Stage=bootstrap " + Network + " --region us-east-1",
        DescribeSecret("consumer-key"),
        DescribeSecret("consumer-secret"),
        DescribeImages,
        "aws ecr get-login-password --region us-east-1",
        "dotnet publish <project> -c Release --os linux --arch x64 -t:PublishContainer -p:ContainerRegistry=123456789012.dkr.ecr.us-east-1.amazonaws.com -p:ContainerRepository=twitterstream/worker -p:ContainerImageTag=abc1234",
        DescribeImages,
        "aws secretsmanager get-secret-value --secret-id twitterstream/consumer-key --output json --region us-east-1",
        "aws secretsmanager put-secret-value --secret-id twitterstream/consumer-key --secret-string file://<secret-file> --output json --region us-east-1",
        "aws secretsmanager get-secret-value --secret-id twitterstream/consumer-secret --output json --region us-east-1",
        "aws secretsmanager put-secret-value --secret-id twitterstream/consumer-secret --secret-string file://<secret-file> --output json --region us-east-1",
        FullStackDeploy,
        DescribeServices,
    ];

    // What the dotnet stand-in records as the pushed digest: sha256 of the tag.
    private const string Digest = "sha256:36f583dd16f4e1e201eb1e6f6d8e35a2ccb3bbe2658de46b4ffae7b0e9ed872e";

    private static readonly string[] SecondDeploy =
    [
        "aws --version",
        "aws sts get-caller-identity --output json --region us-east-1",
        .. NetworkLookup,
        "aws cloudformation describe-stacks --stack-name twitterstream --output json --region us-east-1",
        DescribeSecret("consumer-key"),
        DescribeSecret("consumer-secret"),
        DescribeImages,
        "aws secretsmanager get-secret-value --secret-id twitterstream/consumer-key --output json --region us-east-1",
        "aws secretsmanager get-secret-value --secret-id twitterstream/consumer-secret --output json --region us-east-1",
        FullStackDeploy,
        DescribeServices,
    ];

    private static readonly string[] Destroy =
    [
        "aws --version",
        "aws sts get-caller-identity --output json --region us-east-1",
        "aws cloudformation delete-stack --stack-name twitterstream --region us-east-1",
        "aws cloudformation wait stack-delete-complete --stack-name twitterstream --region us-east-1",
        "aws ecr delete-repository --repository-name twitterstream/worker --force --output json --region us-east-1",
        DescribeSecret("consumer-key"),
        "aws secretsmanager delete-secret --secret-id twitterstream/consumer-key --recovery-window-in-days 7 --output json --region us-east-1",
        DescribeSecret("consumer-secret"),
        "aws secretsmanager delete-secret --secret-id twitterstream/consumer-secret --recovery-window-in-days 7 --output json --region us-east-1",
    ];

    private Task<ToolRun> DeployAsync(params string[] extra) =>
        _bed.RunAsync(["deploy", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, Region, "--image-tag", Tag, .. extra]);

    [Fact]
    public async Task First_deploy_bootstraps_the_stack_pushes_the_image_sets_the_secrets_then_deploys_everything()
    {
        var run = await DeployAsync();

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Equal(FirstDeploy, _bed.RecordedCommands());
        var notes = _bed.RecordedCommands(includeNotes: true).Where(l => l.StartsWith('#')).ToList();
        Assert.Equal(["# registry credentials from the environment", "# secret file mode 600", "# secret file mode 600"], notes);
        Assert.Equal("test-consumer-key", File.ReadAllText(Path.Combine(_bed.State, "secrets", "twitterstream_consumer-key")));
        var secretFiles = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(_bed.CommandLog), @"file://(\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, secretFiles.Count);
        Assert.DoesNotContain(secretFiles, File.Exists);
        Assert.Contains("==> service worker in cluster twitterstream: ACTIVE, 1/1 running, rollout COMPLETED", run.Out, StringComparison.Ordinal);
        var task = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "task-definition.json")))!;
        Assert.Equal(
            ["arn:aws:secretsmanager:us-east-1:123456789012:secret:twitterstream/consumer-key-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:twitterstream/consumer-secret-AbCdEf"],
            task["containerDefinitions"]![0]!["secrets"]!.AsArray().Select(s => s!["valueFrom"]!.GetValue<string>()));
        Assert.Contains("full ARN, as looked up", File.ReadAllText(Path.Combine(_bed.Out, "task-definition.README.txt")), StringComparison.Ordinal);
        var shown = run.ShownCommands
            .Select(c => c.Replace("SDK_CONTAINER_REGISTRY_UNAME=AWS SDK_CONTAINER_REGISTRY_PWORD=<hidden> ", "", StringComparison.Ordinal))
            .Select(_bed.Normalize);
        Assert.Equal(FirstDeploy, shown);
        Assert.Contains("==> building the image as Native AOT (linux-x64, clang on PATH)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("osx", "arm64", "Native AOT cannot be cross-compiled from osx")]
    [InlineData("windows", "x64", "Native AOT cannot be cross-compiled from windows")]
    [InlineData("linux", "arm64", "Native AOT cannot be cross-compiled from arm64 to x64")]
    public async Task Where_Native_AOT_cannot_be_compiled_the_image_is_published_JIT_compiled_and_deploy_says_so(string os, string arch, string reason)
    {
        _bed.Host = new HostPlatform(os, arch);

        var run = await DeployAsync();

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        var publish = Assert.Single(_bed.RecordedCommands(), c => c.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.Equal(FirstDeploy.Single(c => c.StartsWith("dotnet publish", StringComparison.Ordinal)) + " -p:PublishAot=false", publish);
        var line = Assert.Single(run.Out.Split('\n'), l => l.Contains("JIT-compiled", StringComparison.Ordinal));
        Assert.Equal(
            $"==> building the image JIT-compiled ({reason}): it uses more CPU and memory than the Native AOT image (README, 'Room on the smallest task'); "
            + "for that image deploy from Linux x64 with clang on PATH (apt-get install clang)",
            line);
    }

    [Fact]
    public async Task On_Linux_without_clang_the_image_is_JIT_compiled()
    {
        File.Delete(_bed.ClangStandIn);
        var folder = Directory.CreateTempSubdirectory("twitterstream-no-clang-");
        try
        {
            // Only the stand-ins on PATH: the machine's own clang, if it has one, stays out of sight.
            var context = new ToolContext(
                new Dictionary<string, string> { ["PATH"] = _bed.Bin }, TextWriter.Null, TextWriter.Null, new NoPrompt(), folder.FullName, "")
            {
                Host = new HostPlatform("linux", "x64"),
            };

            var compilation = ImageCompilation.Choose(context, "x64");

            Assert.False(compilation.IsNativeAot);
            Assert.Equal("no clang on PATH to link Native AOT", compilation.WhyJit);
            Assert.Equal(["-p:PublishAot=false"], compilation.PublishProperties);
        }
        finally
        {
            folder.Delete();
        }
    }

    [Fact]
    public async Task Second_deploy_with_the_same_commit_and_values_changes_nothing()
    {
        Assert.Equal(0, (await DeployAsync()).ExitCode);
        _bed.ClearLog();

        var second = await DeployAsync();

        Assert.True(second.ExitCode == 0, second.Error + second.Out);
        Assert.Equal(SecondDeploy, _bed.RecordedCommands());
        Assert.Contains("No changes to deploy", second.Out, StringComparison.Ordinal);
        Assert.Contains("==> secret twitterstream/consumer-key: unchanged", second.Out, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_bed.State, "secret-writes")).Length);
    }

    [Fact]
    public async Task A_changed_secret_value_is_written_again_and_only_that_one()
    {
        Assert.Equal(0, (await DeployAsync()).ExitCode);
        _bed.Environment["Parameters__consumer-secret"] = "rotated-consumer-secret";
        _bed.ClearLog();

        Assert.Equal(0, (await DeployAsync()).ExitCode);

        var puts = _bed.RecordedCommands().Where(c => c.Contains("put-secret-value", StringComparison.Ordinal)).ToList();
        Assert.Equal(["aws secretsmanager put-secret-value --secret-id twitterstream/consumer-secret --secret-string file://<secret-file> --output json --region us-east-1"], puts);
    }

    [Fact]
    public async Task Destroy_deletes_the_stack_then_the_repository_and_schedules_the_secrets_for_deletion()
    {
        Assert.Equal(0, (await DeployAsync()).ExitCode);
        _bed.ClearLog();

        var run = await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, Region);

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Equal(Destroy, _bed.RecordedCommands());
        Assert.False(File.Exists(Path.Combine(_bed.State, "stack")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_bed.State, "secrets")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_bed.State, "deleted-secrets")).Length);

        // Again: the secrets are already scheduled (describe-secret's DeletedDate), so nothing is deleted twice.
        _bed.ClearLog();
        var again = await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, Region);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.Contains("delete-secret", StringComparison.Ordinal));
        Assert.Contains("==> secret twitterstream/consumer-key was already scheduled for deletion", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destroy_with_force_deletes_the_secrets_without_recovery_even_when_already_scheduled()
    {
        Assert.Equal(0, (await DeployAsync()).ExitCode);
        Assert.Equal(0, (await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, Region)).ExitCode);
        _bed.ClearLog();

        var run = await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, Region, "--force");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Empty(Directory.GetFiles(Path.Combine(_bed.State, "deleted-secrets")));
        Assert.Contains(
            "aws secretsmanager delete-secret --secret-id twitterstream/consumer-key --force-delete-without-recovery --output json --region us-east-1",
            _bed.RecordedCommands());
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.Contains("recovery-window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dry_run_shows_the_whole_first_deploy_in_order_and_runs_nothing()
    {
        _bed.Environment.Remove("Parameters__consumer-key");
        _bed.Environment.Remove("Parameters__consumer-secret");

        var run = await DeployAsync("--dry-run");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Empty(_bed.RecordedCommands());
        var shown = run.ShownCommands.Select(c => c.Replace(_bed.Out, "<out>", StringComparison.Ordinal)).ToList();
        Assert.Equal(FirstDeploy.Length, shown.Count);
        var bootstrap = Array.FindIndex(FirstDeploy, c => c.Contains("Stage=bootstrap", StringComparison.Ordinal));
        Assert.StartsWith("aws cloudformation deploy", shown[bootstrap], StringComparison.Ordinal);
        Assert.Contains("Stage=bootstrap", shown[bootstrap], StringComparison.Ordinal);
        Assert.StartsWith("SDK_CONTAINER_REGISTRY_UNAME=AWS SDK_CONTAINER_REGISTRY_PWORD=<hidden> dotnet publish", shown[bootstrap + 5], StringComparison.Ordinal);
        Assert.Contains("--secret-string 'file://<0600 temp file>'", shown[bootstrap + 8], StringComparison.Ordinal);
        Assert.Contains("Stage=full", shown[^2], StringComparison.Ordinal);
        Assert.Equal(FirstDeploy[^1], shown[^1]);
    }

    [Fact]
    public async Task Destroy_dry_run_shows_every_command_and_runs_nothing()
    {
        var run = await _bed.RunAsync("destroy", "--manifest", DeployManifests.CommittedPath, Region, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Empty(_bed.RecordedCommands());
        Assert.Equal(Destroy, run.ShownCommands);
    }

    [Fact]
    public async Task Explicit_subnets_and_security_groups_skip_the_default_vpc_lookup()
    {
        var run = await DeployAsync("--subnets", "subnet-1,subnet-2", "--security-groups", "sg-1", "--no-public-ip");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.DoesNotContain(_bed.RecordedCommands(), c => c.StartsWith("aws ec2", StringComparison.Ordinal));
        Assert.Contains(_bed.RecordedCommands(), c => c.Contains("Subnets=subnet-1,subnet-2 SecurityGroups=sg-1 AssignPublicIp=DISABLED", StringComparison.Ordinal));
    }
}
