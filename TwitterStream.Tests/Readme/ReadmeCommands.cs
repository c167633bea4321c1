using System.Text.RegularExpressions;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Readme;

/// <summary>Shell commands README.md shows, read as a user would paste them.</summary>
internal static partial class ReadmeCommands
{
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
