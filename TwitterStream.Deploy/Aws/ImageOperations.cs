using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Aws;

/// <summary>
/// The worker image in ECR: looked up by tag, built and pushed with the SDK's <c>PublishContainer</c> (no Dockerfile,
/// no Docker) when missing, Native AOT where this machine can compile it (<see cref="ImageCompilation"/>), and referenced by digest. The registry password reaches <c>dotnet</c> through its
/// environment only.
/// </summary>
internal sealed class ImageOperations(AwsCli aws, DeploymentNames names, string dotnet, TextWriter output)
{
    public const string DryRunDigest = "sha256:<digest>";

    public static string Registry(string accountId, string region) => $"{accountId}.dkr.ecr.{region}.amazonaws.com";

    /// <summary>The image's digest for <paramref name="tag"/>, pushing it first when the repository does not have it.</summary>
    public async Task<string> EnsurePushedAsync(
        string accountId, string tag, string projectFile, string dotnetArch, ImageCompilation compilation, CancellationToken cancellationToken)
    {
        if (await DigestAsync(tag, dryRunFound: false, cancellationToken) is { } existing)
        {
            await output.WriteLineAsync($"==> image {names.Repository}:{tag} is already in ECR ({existing}); not building it again");
            return existing;
        }

        await output.WriteLineAsync(compilation.Describe(dotnetArch));
        var password = await aws.RunAsync(["ecr", "get-login-password"], CommandResult.Ok("<password>"), cancellationToken);
        AwsCli.EnsureSucceeded(password, ["ecr", "get-login-password"]);
        var publish = new CommandSpec(dotnet,
        [
            "publish", projectFile,
            "-c", "Release",
            "--os", "linux",
            "--arch", dotnetArch,
            "-t:PublishContainer",
            $"-p:ContainerRegistry={Registry(accountId, aws.Region)}",
            $"-p:ContainerRepository={names.Repository}",
            $"-p:ContainerImageTag={tag}",
            .. compilation.PublishProperties,
        ])
        {
            Environment = new Dictionary<string, string> { ["SDK_CONTAINER_REGISTRY_UNAME"] = "AWS" },
            SecretEnvironment = new Dictionary<string, string> { ["SDK_CONTAINER_REGISTRY_PWORD"] = password.Stdout.Trim() },
            StreamOutput = true,
        };
        var published = await aws.Runner.RunAsync(publish, cancellationToken);
        if (!published.Succeeded)
        {
            throw new DeployError($"'dotnet publish -t:PublishContainer' failed (exit {published.ExitCode}) for {projectFile}: see its output above.");
        }

        return await DigestAsync(tag, dryRunFound: true, cancellationToken)
            ?? throw new DeployError($"the image {names.Repository}:{tag} is not in ECR after 'dotnet publish': check the publish output above.");
    }

    public async Task DeleteRepositoryAsync(CancellationToken cancellationToken)
    {
        string[] delete = ["ecr", "delete-repository", "--repository-name", names.Repository, "--force", "--output", "json"];
        var result = await aws.RunAsync(delete, CommandResult.Ok("{}"), cancellationToken);
        if (!result.Succeeded && !result.Stderr.Contains("RepositoryNotFoundException", StringComparison.Ordinal))
        {
            AwsCli.EnsureSucceeded(result, delete);
        }
    }

    private async Task<string?> DigestAsync(string tag, bool dryRunFound, CancellationToken cancellationToken)
    {
        var result = await aws.RunAsync(
            ["ecr", "describe-images", "--repository-name", names.Repository, "--image-ids", $"imageTag={tag}", "--output", "json"],
            dryRunFound
                ? CommandResult.Ok($$"""{"imageDetails":[{"imageDigest":"{{DryRunDigest}}"}]}""")
                : CommandResult.Failed("An error occurred (ImageNotFoundException) when calling the DescribeImages operation"),
            cancellationToken);
        if (!result.Succeeded)
        {
            if (result.Stderr.Contains("ImageNotFoundException", StringComparison.Ordinal))
            {
                return null;
            }

            AwsCli.EnsureSucceeded(result, ["ecr", "describe-images"]);
        }

        return AwsCli.First(AwsCli.ParseJson(result, "ecr describe-images")["imageDetails"])?["imageDigest"]?.GetValue<string>();
    }
}
