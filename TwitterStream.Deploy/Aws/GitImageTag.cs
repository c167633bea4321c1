namespace TwitterStream.Deploy.Aws;

/// <summary>
/// The image tag deploy derives when none is given: the commit plus the architecture (<c>abc1234-x64</c>), and
/// <see cref="ImageCompilation.JitTagSuffix"/> for a JIT-compiled image (<c>abc1234-x64-jit</c>). The
/// repository's tags are immutable and an existing tag is not pushed again, so a tree with uncommitted changes is
/// refused: its image would either not be deployed (the commit's tag exists) or be stored for ever under a tag that
/// does not describe it.
/// </summary>
internal static class GitImageTag
{
    public static async Task<string> ReadAsync(ICommandRunner runner, string manifestPath, string dotnetArch, ImageCompilation compilation, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(manifestPath)!;
        var head = await runner.RunAsync(
            new CommandSpec("git", ["-C", folder, "rev-parse", "--short", "HEAD"]) { DryRunResult = CommandResult.Ok("<git-short-sha>") },
            cancellationToken);
        var sha = head.Stdout.Trim();
        if (!head.Succeeded || sha.Length == 0)
        {
            throw new DeployError($"could not read the commit to tag the image with ('git rev-parse --short HEAD': {head.Reason}): run from a git clone or pass --image-tag <tag>.");
        }

        var status = await runner.RunAsync(new CommandSpec("git", ["-C", folder, "status", "--porcelain"]), cancellationToken);
        if (!status.Succeeded)
        {
            throw new DeployError($"could not check the working tree for uncommitted changes ('git status --porcelain': {status.Reason}): pass --image-tag <tag>.");
        }

        var changed = status.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (changed.Length > 0)
        {
            throw new DeployError(
                $"the working tree has {changed.Length} uncommitted change(s) (first: '{changed[0].Trim()}'), so commit {sha} does not describe the image: commit or stash them and deploy again, or pass --image-tag <new-tag>.");
        }

        return $"{sha}-{dotnetArch}{(compilation.IsNativeAot ? "" : ImageCompilation.JitTagSuffix)}";
    }
}
