using System.Text;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// Every AWS CLI command deploy and destroy issue (taken from their dry runs) is accepted by both AWS CLI v1 and v2:
/// sent to an unreachable endpoint, each fails on the connection, never on its arguments.
/// </summary>
public sealed class AwsCliCompatibilityTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Both_major_versions_accept_every_command_the_tool_runs(int majorVersion)
    {
        var cli = RealAwsCli.Find(majorVersion);
        if (cli is null)
        {
            Assert.Skip($"no AWS CLI v{majorVersion} is installed");
        }

        string[] common = ["--manifest", DeployManifests.CommittedPath, "--region", "us-east-1"];
        var runs = new[]
        {
            await _bed.RunAsync(["deploy", "--dry-run", "--out", _bed.Out, "--image-tag", "abc1234", .. common]),
            await _bed.RunAsync(["destroy", "--dry-run", .. common]),
            await _bed.RunAsync(["destroy", "--dry-run", "--force", .. common]),
        };
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Error));
        var secretFile = Path.Combine(_bed.Root, "secret-value");
        File.WriteAllText(secretFile, "value");
        var commands = runs.SelectMany(r => r.ShownCommands)
            .Select(SplitShellWords)
            .Where(words => words[0] == "aws" && words[1] != "--version")
            .Select(words => words.Skip(1).Select(w => w == "file://<0600 temp file>" ? "file://" + secretFile : w).ToList())
            // One call per operation and set of options: values do not change whether the CLI accepts the options.
            .DistinctBy(words => string.Join(' ', words.Take(2).Concat(words.Where(w => w.StartsWith("--", StringComparison.Ordinal)))))
            .ToList();
        Assert.True(commands.Count >= 15, $"only {commands.Count} distinct commands were shown");

        using var slots = new SemaphoreSlim(Environment.ProcessorCount);
        var results = await Task.WhenAll(commands.Select(async words =>
        {
            await slots.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                return (words, await Task.Run(() => RealAwsCli.RunUnreachable(cli, words), TestContext.Current.CancellationToken));
            }
            finally
            {
                slots.Release();
            }
        }));

        foreach (var (words, result) in results)
        {
            Assert.True(
                result.Stderr.Contains(RealAwsCli.ConnectionFailure, StringComparison.Ordinal),
                $"aws v{majorVersion} rejected 'aws {string.Join(' ', words)}': {result.Stderr}");
        }
    }

    /// <summary>Undoes the tool's display quoting: words split on spaces, single quotes with '\'' for a quote.</summary>
    private static List<string> SplitShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inQuotes = false;
        var started = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                inQuotes = !inQuotes;
                started = true;
            }
            else if (c == '\\' && !inQuotes && i + 1 < line.Length)
            {
                word.Append(line[++i]);
            }
            else if (c == ' ' && !inQuotes)
            {
                if (started)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    started = false;
                }
            }
            else
            {
                word.Append(c);
                started = true;
            }
        }

        if (started)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
