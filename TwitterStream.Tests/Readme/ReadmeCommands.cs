using System.Text.RegularExpressions;
using TwitterStream.Harness;
using TwitterStream.Tests.Deploy;

namespace TwitterStream.Tests.Readme;

/// <summary>Shell commands README.md shows, read as a user would paste them.</summary>
internal static partial class ReadmeCommands
{
    /// <summary>DynamoDB Local's default address, as README's commands name it.</summary>
    public const string Port = "localhost:8000";

    /// <summary>The AWS CLIs to run README's commands with (v1, v2); the test skips when neither is installed.</summary>
    public static IReadOnlyList<string> InstalledAwsClis()
    {
        var clis = new[] { 1, 2 }.Select(RealAwsCli.Find).OfType<string>().ToList();
        Assert.SkipWhen(clis.Count == 0, "No AWS CLI is installed (pip install awscli for v1, apt-get install awscli for v2).");
        return clis;
    }

    /// <summary>The command aimed at the DynamoDB Local on <paramref name="port"/> instead of README's.</summary>
    public static string AtPort(string command, int port) => command.Replace(Port, $"localhost:{port}", StringComparison.Ordinal);

    /// <summary>The commands of the code block after README's <paramref name="marker"/>, each continued line joined, comments left out.</summary>
    public static IReadOnlyList<string> Read(string marker)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no {marker}");
        var block = CodeBlock().Match(readme, start + marker.Length);
        Assert.True(block.Success, $"README.md has no code block after {marker}");
        var joined = ContinuedLine().Replace(block.Groups["body"].Value, " ");
        return [.. joined.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))];
    }

    [GeneratedRegex(@"\G\s*```\w*\n(?<body>.*?)\n\s*```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"\\\n\s*")]
    private static partial Regex ContinuedLine();
}
