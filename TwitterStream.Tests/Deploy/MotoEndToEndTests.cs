using System.Text.Json.Nodes;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// The real tool, through a real AWS CLI, against moto's server mode: deploy (first, with bootstrap), deploy again,
/// destroy, destroy --force, checking with the CLI what exists after each step. Only the image push is stood in
/// (Deploy/StandIns/moto/dotnet does an <c>aws ecr put-image</c> where <c>dotnet publish</c> would push), since moto's
/// ECR is an API and not a registry. Where moto lacks what AWS has, the test says so and checks what it can; the tool
/// is never bent to the emulator.
/// </summary>
public sealed class MotoEndToEndTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string Stack = "twitterstream";
    private const string Tag = "moto-x64";
    private const string ConsumerKey = "moto-consumer-key";
    private const string ConsumerSecret = "moto-consumer-secret";
    private static readonly string[] SecretNames = ["twitterstream/consumer-key", "twitterstream/consumer-secret"];

    private readonly DeployTestBed _bed = new(awsStandIn: null, dotnetStandIn: "moto/dotnet");
    private MotoServerProcess? _moto;
    private string _cli = "";
    private Dictionary<string, string> _endpoint = [];

    public async ValueTask InitializeAsync()
    {
        var motoServer = MotoServerProcess.FindOnPath();
        var cli = RealAwsCli.Find(1);
        if (motoServer is null || cli is null)
        {
            return;
        }

        _cli = cli;
        _moto = await MotoServerProcess.StartAsync(motoServer, TestContext.Current.CancellationToken);

        // Throwaway credentials (moto takes any and answers for account 123456789012) and a HOME of the test's own, so
        // no configuration or credentials of this machine take part.
        _endpoint = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = _moto.ServiceUrl.ToString().TrimEnd('/'),
            ["AWS_ACCESS_KEY_ID"] = "motoaccesskey",
            ["AWS_SECRET_ACCESS_KEY"] = "motosecretkey",
        };
        foreach (var (name, value) in _endpoint)
        {
            _bed.Environment[name] = value;
        }

        var home = Path.Combine(_bed.Root, "home");
        Directory.CreateDirectory(home);
        _bed.Environment["HOME"] = home;
        // A pyenv shim finds its Python through PYENV_ROOT, which defaults to a folder under HOME.
        if (Path.GetFileName(Path.GetDirectoryName(cli)) == "shims")
        {
            _bed.Environment["PYENV_ROOT"] = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.GetDirectoryName(Path.GetDirectoryName(cli))!;
        }

        _bed.Environment["STANDIN_AWS"] = cli;
        _bed.Environment["Parameters__consumer-key"] = ConsumerKey;
        _bed.Environment["Parameters__consumer-secret"] = ConsumerSecret;
    }

    public async ValueTask DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }

        _bed.Dispose();
    }

    [Fact]
    public async Task Deploy_deploy_again_destroy_and_destroy_force_leave_what_they_should()
    {
        if (_moto is null)
        {
            Assert.Skip(MotoServerProcess.FindOnPath() is null
                ? MotoServerProcess.MissingReason
                : "no AWS CLI v1 is installed (the emulator's endpoint reaches the CLI through AWS_ENDPOINT_URL, which Debian's CLI v2.9 ignores)");
        }

        // moto's CloudFormation has no model for AWS::SecretsManager::Secret: the bootstrap stage succeeds without
        // creating the two secrets. They are created here, as CloudFormation would have, empty.
        foreach (var name in SecretNames)
        {
            Aws("secretsmanager", "create-secret", "--name", name);
        }

        // 1. First deploy: bootstrap, push, secret values, full stack.
        var first = await ToolAsync("deploy", "--out", _bed.Out, "--image-tag", Tag);
        Assert.Contains($"==> stack {Stack} does not exist: creating the repository and secrets first", first.Out, StringComparison.Ordinal);
        Assert.Equal("UPDATE_COMPLETE", Aws("cloudformation", "describe-stacks", "--stack-name", Stack)["Stacks"]![0]!["StackStatus"]!.GetValue<string>());
        Assert.Equal("IMMUTABLE", Aws("ecr", "describe-repositories", "--repository-names", "twitterstream/worker")["repositories"]![0]!["imageTagMutability"]!.GetValue<string>());
        // moto's CloudFormation does not apply the repository's LifecyclePolicy (PlanTests check the template's).
        var image = Assert.Single(Aws("ecr", "describe-images", "--repository-name", "twitterstream/worker")["imageDetails"]!.AsArray())!;
        Assert.Equal([Tag], image["imageTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(ConsumerKey, Aws("secretsmanager", "get-secret-value", "--secret-id", SecretNames[0])["SecretString"]!.GetValue<string>());
        Assert.Equal(ConsumerSecret, Aws("secretsmanager", "get-secret-value", "--secret-id", SecretNames[1])["SecretString"]!.GetValue<string>());
        var table = Aws("dynamodb", "describe-table", "--table-name", "twitterstream-posts")["Table"]!;
        Assert.Equal("""[{"AttributeName":"user","KeyType":"HASH"},{"AttributeName":"date","KeyType":"RANGE"}]""", table["KeySchema"]!.ToJsonString());
        // The task role's policy as moto stores it (as Python's repr of the document, hence text checks): exactly
        // BatchWriteItem, on the table's ARN that GetAtt resolved.
        var taskPolicy = Aws("iam", "get-role-policy", "--role-name", $"{Stack}-worker-task-{Region}", "--policy-name", "dynamodb-write")["PolicyDocument"]!.ToJsonString();
        Assert.Contains("dynamodb:BatchWriteItem", taskPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("PutItem", taskPolicy, StringComparison.Ordinal);
        Assert.Contains(table["TableArn"]!.GetValue<string>(), taskPolicy, StringComparison.Ordinal);
        Aws("iam", "get-role", "--role-name", $"{Stack}-worker-execution-{Region}");
        var logGroup = Assert.Single(Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/twitterstream/worker")["logGroups"]!.AsArray())!;
        Assert.Equal(30, logGroup["retentionInDays"]!.GetValue<int>());
        // moto's CloudFormation keeps the ECS service but drops most task definition and service properties (network
        // mode, roles, container definitions, capacity provider strategy): only existence and the count are checked.
        var service = Assert.Single(Aws("ecs", "describe-services", "--cluster", Stack, "--services", "worker")["services"]!.AsArray())!;
        Assert.Equal("ACTIVE", service["status"]!.GetValue<string>());
        Assert.Equal(1, service["desiredCount"]!.GetValue<int>());
        var taskDefinition = service["taskDefinition"]!.GetValue<string>();
        // The stand-alone task definition names the secrets by the full ARNs deploy looked up.
        var secretArns = SecretNames.Select(n => Aws("secretsmanager", "describe-secret", "--secret-id", n)["ARN"]!.GetValue<string>()).ToList();
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "task-definition.json")))!;
        Assert.Equal(secretArns, written["containerDefinitions"]![0]!["secrets"]!.AsArray().Select(s => s!["valueFrom"]!.GetValue<string>()));
        Assert.Single(File.ReadAllLines(PublishLog));

        // 2. Deploy again with the same tag and values: no push, no new secret version, the same task definition.
        // (moto answers an unchanged template with a non-empty change set, so "No changes to deploy" is not checked.)
        var versionsBefore = SecretNames.Select(SecretVersionCount).ToList();
        var second = await ToolAsync("deploy", "--out", _bed.Out, "--image-tag", Tag);
        Assert.Contains($"==> image twitterstream/worker:{Tag} is already in ECR", second.Out, StringComparison.Ordinal);
        Assert.Contains("==> secret twitterstream/consumer-key: unchanged", second.Out, StringComparison.Ordinal);
        Assert.Contains("==> secret twitterstream/consumer-secret: unchanged", second.Out, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(PublishLog));
        Assert.Single(Aws("ecr", "describe-images", "--repository-name", "twitterstream/worker")["imageDetails"]!.AsArray());
        Assert.Equal(versionsBefore, SecretNames.Select(SecretVersionCount));
        Assert.Equal(taskDefinition, Aws("ecs", "describe-services", "--cluster", Stack, "--services", "worker")["services"]![0]!["taskDefinition"]!.GetValue<string>());

        // 3. Destroy: the stack and what it held, the repository; the secrets scheduled for deletion (DeletedDate).
        await ToolAsync("destroy");
        Assert.Contains("does not exist", AwsFails("cloudformation", "describe-stacks", "--stack-name", Stack), StringComparison.Ordinal);
        Assert.Contains("RepositoryNotFoundException", AwsFails("ecr", "describe-repositories", "--repository-names", "twitterstream/worker"), StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", AwsFails("dynamodb", "describe-table", "--table-name", "twitterstream-posts"), StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", AwsFails("iam", "get-role", "--role-name", $"{Stack}-worker-task-{Region}"), StringComparison.Ordinal);
        Assert.Empty(Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/twitterstream/worker")["logGroups"]!.AsArray());
        // moto does not delete CloudFormation's ECS cluster and service with the stack (AWS does), so they are not checked.
        Assert.All(SecretNames, n => Assert.NotNull(Aws("secretsmanager", "describe-secret", "--secret-id", n)["DeletedDate"]));

        // A deploy now stops on those secrets, before touching any stack, with one line (found via DeletedDate).
        var refused = await _bed.RunAsync(["deploy", .. Common, "--out", _bed.Out, "--image-tag", Tag]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("secret twitterstream/consumer-key is scheduled for deletion by an earlier destroy", refused.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", AwsFails("cloudformation", "describe-stacks", "--stack-name", Stack), StringComparison.Ordinal);

        // 4. Destroy --force: what is already gone is no error; the scheduled secrets are deleted for good.
        var forced = await ToolAsync("destroy", "--force");
        Assert.Contains("==> secret twitterstream/consumer-key deleted without recovery", forced.Out, StringComparison.Ordinal);
        Assert.All(SecretNames, n => Assert.Contains("ResourceNotFoundException", AwsFails("secretsmanager", "describe-secret", "--secret-id", n), StringComparison.Ordinal));
    }

    private string[] Common => ["--manifest", DeployManifests.CommittedPath, "--region", Region, "--aws-cli", _cli];

    private string PublishLog => Path.Combine(_bed.State, "publish.log");

    private async Task<ToolRun> ToolAsync(params string[] args)
    {
        var run = await _bed.RunAsync([.. args, .. Common]);
        Assert.True(run.ExitCode == 0, $"twitterstream-deploy {string.Join(' ', args)} failed: {run.Error}{Environment.NewLine}{run.Out}");
        return run;
    }

    private int SecretVersionCount(string name) => Aws("secretsmanager", "list-secret-version-ids", "--secret-id", name)["Versions"]!.AsArray().Count;

    private JsonNode Aws(params string[] args)
    {
        var result = RealAwsCli.Run(_cli, [.. args, "--region", Region, "--output", "json"], _endpoint);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)}: {result.Stderr}");
        return JsonNode.Parse(result.Stdout.Length == 0 ? "{}" : result.Stdout)!;
    }

    /// <summary>The error of a call that must fail. moto's wording differs from AWS's, so callers match only error codes and phrases both use.</summary>
    private string AwsFails(params string[] args)
    {
        var result = RealAwsCli.Run(_cli, [.. args, "--region", Region, "--output", "json"], _endpoint);
        Assert.True(result.ExitCode != 0, $"aws {string.Join(' ', args)} succeeded: {result.Stdout}");
        return result.Stderr;
    }
}
