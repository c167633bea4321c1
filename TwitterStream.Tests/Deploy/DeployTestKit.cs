using System.Text.Json.Nodes;
using TwitterStream.Deploy;
using TwitterStream.Deploy.Aws;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// The manifest the deploy tests run against: the AppHost's committed one, so that a change in the AppHost reaches
/// them. A case the committed manifest cannot show is derived from it in code (<see cref="WriteVariant"/>).
/// </summary>
public static class DeployManifests
{
    public static string RepositoryRoot => global::TwitterStream.Harness.Repository.Root;

    public static string CommittedPath => Path.Combine(RepositoryRoot, "aspire-manifest", "aspire-manifest.json");

    /// <summary>
    /// Writes the committed manifest, changed by <paramref name="change"/>, to <paramref name="path"/>. Project paths
    /// are made absolute first, since Aspire writes them relative to the manifest's folder.
    /// </summary>
    public static string WriteVariant(string path, Action<JsonObject> change)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(CommittedPath))!.AsObject();
        foreach (var (_, resource) in manifest["resources"]!.AsObject())
        {
            if (resource!["type"]!.GetValue<string>() == "project.v0")
            {
                resource["path"] = Path.GetFullPath(resource["path"]!.GetValue<string>(), Path.GetDirectoryName(CommittedPath)!);
            }
        }

        change(manifest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The first resource of <paramref name="type"/> in a manifest.</summary>
    public static JsonObject Resource(JsonObject manifest, string type) =>
        manifest["resources"]!.AsObject().First(r => r.Value!["type"]!.GetValue<string>() == type).Value!.AsObject();

    public static JsonObject Worker(JsonObject manifest) => Resource(manifest, "project.v0");
}

/// <summary>What one in-process run of the tool did.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    public IReadOnlyList<string> ShownCommands =>
        Out.Split('\n').Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
}

/// <summary>
/// A scratch folder with stand-ins for <c>aws</c> and <c>dotnet</c> first on the tool's PATH, their shared state, and a
/// fresh environment without the machine's AWS settings or parameter values. The tool sees a Linux x64 machine with
/// <c>clang</c> on PATH (a stand-in: deploy only looks it up), so it builds the Native AOT image unless a test says otherwise.
/// </summary>
public sealed class DeployTestBed : IDisposable
{
    /// <param name="awsStandIn">The stand-in for <c>aws</c> under Deploy/StandIns, or null for none (a real CLI is used).</param>
    /// <param name="dotnetStandIn">The stand-in for <c>dotnet publish</c> under Deploy/StandIns.</param>
    public DeployTestBed(string? awsStandIn = "aws", string dotnetStandIn = "dotnet")
    {
        Root = Directory.CreateTempSubdirectory("twitterstream-deploy-test-").FullName;
        Bin = Path.Combine(Root, "bin");
        State = Path.Combine(Root, "state");
        Out = Path.Combine(Root, "plan");
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(State);
        var standIns = new Dictionary<string, string?> { ["aws"] = awsStandIn, ["dotnet"] = dotnetStandIn };
        foreach (var (program, standIn) in standIns)
        {
            if (standIn is null)
            {
                continue;
            }

            var target = Path.Combine(Bin, program);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Deploy", "StandIns", standIn), target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith("AWS_", StringComparison.Ordinal) && !name.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase))
            {
                Environment[name] = (string?)entry.Value ?? "";
            }
        }

        File.WriteAllText(ClangStandIn, "#!/bin/sh\n# deploy only looks clang up on PATH; the dotnet stand-in never links\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ClangStandIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Environment["PATH"] = Bin + Path.PathSeparator + Environment.GetValueOrDefault("PATH", "/usr/bin:/bin");
        Environment["STANDIN_STATE"] = State;
    }

    public string Root { get; }

    public string Bin { get; }

    public string ClangStandIn => Path.Combine(Bin, "clang");

    /// <summary>The OS and architecture the tool is told it runs on.</summary>
    internal HostPlatform Host { get; set; } = new("linux", "x64");

    public string State { get; }

    /// <summary>The plan folder the tests pass as --out.</summary>
    public string Out { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string CommandLog => Path.Combine(State, "commands.log");

    /// <summary>The recorded command lines, with scratch paths replaced so sequences can be compared.</summary>
    public IReadOnlyList<string> RecordedCommands(bool includeNotes = false) =>
        File.Exists(CommandLog)
            ? File.ReadAllLines(CommandLog)
                .Where(l => includeNotes || !l.StartsWith('#'))
                .Select(Normalize)
                .ToList()
            : [];

    public string Normalize(string line) => System.Text.RegularExpressions.Regex.Replace(
        System.Text.RegularExpressions.Regex.Replace(
            line.Replace(Out, "<out>", StringComparison.Ordinal),
            @"file://\S*twitterstream-secret-[0-9a-f]{32}",
            "file://<secret-file>"),
        @"^dotnet publish \S+",
        "dotnet publish <project>");

    public void ClearLog() => File.Delete(CommandLog);

    public async Task<ToolRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new ToolContext(
            Environment,
            output,
            error,
            new NoPrompt(),
            Root,
            Path.Combine(Root, "no-user-secrets", "secrets.json"))
        {
            Host = Host,
        };
        var exitCode = await DeployApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new ToolRun(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
