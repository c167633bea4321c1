namespace TwitterStream.Tests.Deploy;

/// <summary>Secret values go to Secrets Manager and nowhere else: not the manifest, plan files, output or command lines.</summary>
public sealed class CanarySecretTests : IDisposable
{
    private readonly DeployTestBed _bed = new();
    private readonly string _keyCanary = $"canary-key-{Guid.NewGuid():N}";
    private readonly string _secretCanary = $"canary-secret-{Guid.NewGuid():N}";

    public CanarySecretTests()
    {
        _bed.Environment["Parameters__consumer-key"] = _keyCanary;
        _bed.Environment["Parameters__consumer-secret"] = _secretCanary;
    }

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Canary_values_reach_only_the_secret_store()
    {
        var path = DeployManifests.CommittedPath;
        string[] common = ["--manifest", path, "--region", "us-east-1"];
        var runs = new List<ToolRun>
        {
            await _bed.RunAsync(["plan", "--out", Path.Combine(_bed.Root, "review"), .. common]),
            await _bed.RunAsync(["deploy", "--out", _bed.Out, "--image-tag", "c0ffee1", .. common]),
            await _bed.RunAsync(["deploy", "--out", _bed.Out, "--image-tag", "c0ffee1", .. common]),
            await _bed.RunAsync(["deploy", "--out", _bed.Out, "--image-tag", "c0ffee1", "--dry-run", .. common]),
            await _bed.RunAsync(["destroy", .. common]),
        };

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Error));
        var places = new List<(string Where, string Text)> { ("manifest", File.ReadAllText(path)), ("command log", File.ReadAllText(_bed.CommandLog)) };
        places.AddRange(runs.Select((r, i) => ($"run {i} output", r.Out + r.Error)));
        places.AddRange(Directory.GetFiles(_bed.Out).Concat(Directory.GetFiles(Path.Combine(_bed.Root, "review")))
            .Select(f => (f, File.ReadAllText(f))));
        foreach (var (where, text) in places)
        {
            Assert.False(text.Contains(_keyCanary, StringComparison.Ordinal), $"the consumer key canary appears in {where}");
            Assert.False(text.Contains(_secretCanary, StringComparison.Ordinal), $"the consumer secret canary appears in {where}");
            Assert.False(text.Contains("standin-registry-password", StringComparison.Ordinal), $"the registry password appears in {where}");
        }

        // The values did travel, through the 0600 files, to the stand-in's secret store (destroy then removed them).
        var writes = File.ReadAllLines(Path.Combine(_bed.State, "secret-writes"));
        Assert.Equal(["twitterstream/consumer-key", "twitterstream/consumer-secret"], writes);
    }

    [Fact]
    public async Task The_secret_value_is_what_the_store_receives()
    {
        var run = await _bed.RunAsync("deploy", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--image-tag", "c0ffee1");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(_keyCanary, File.ReadAllText(Path.Combine(_bed.State, "secrets", "twitterstream_consumer-key")));
        Assert.Equal(_secretCanary, File.ReadAllText(Path.Combine(_bed.State, "secrets", "twitterstream_consumer-secret")));
    }
}
