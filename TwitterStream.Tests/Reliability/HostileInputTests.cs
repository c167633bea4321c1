using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Hostile stream input: the worker never crashes, stores every valid post byte for byte, stores nothing from an
/// invalid line, and counts each rejected line.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HostileInputTests(SharedDynamoDbLocal dynamo)
{
    private static ReliabilityScale Scale => ReliabilityScale.Current;

    [Fact]
    public async Task Hostile_lines_are_counted_and_dropped_and_hostile_values_are_stored_byte_for_byte()
    {
        var corpus = HostileCorpus.Build(Scale.HostileLines);
        await using var api = await ScriptedXApi.StartAsync(corpus.Lines, Scenario.Token);
        var table = $"hostile-{Guid.NewGuid():N}";
        using var client = dynamo.Process.CreateClient();
        await PostsTable.CreateAsync(client, table, Scenario.Token);
        var environment = new Dictionary<string, string?>(dynamo.Process.SdkEnvironment)
        {
            [WorkerVariables.Table] = table,
            [WorkerVariables.Filter] = "cats OR dogs",
            [WorkerVariables.RuleTag] = HostileCorpus.Tag,
            [WorkerVariables.BearerToken] = ScriptedXApi.BearerToken,
            [WorkerVariables.XApiBaseUrl] = api.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        };
        await using var worker = await WorkerProcess.StartAsync(environment, Scenario.Token);

        WorkerStats counters = null!;
        try
        {
            await Readiness.WaitUntilAsync(worker.Process, async () =>
            {
                counters = await worker.GetCountersAsync(Scenario.Token);
                return api.AllSent.IsCompleted && counters.Rejected >= corpus.RejectedCount
                    && counters.Stored >= corpus.Valid.Count + corpus.ToleratedIds.Count && counters.BufferDepth == 0;
            }, Scale.Settle, "take in every scripted line", Scenario.Token);
        }
        catch (TimeoutException)
        {
            // The assertions below say what is off.
        }

        Assert.False(worker.Process.HasExited, worker.Process.RecentOutput);
        Assert.True(api.StreamConnections == 1, $"the worker connected {api.StreamConnections} times:{Environment.NewLine}{worker.Process.RecentOutput}");
        Assert.Equal(corpus.Lines.Count, api.LinesSent);

        var stored = await PostsTable.ScanAsync(client, table, Scenario.Token);
        var expected = corpus.Valid.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var tolerated = corpus.ToleratedIds.ToHashSet(StringComparer.Ordinal);
        var unexpected = stored.Where(s => s.Id is null || !(expected.ContainsKey(s.Id) || tolerated.Contains(s.Id))).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} items came from invalid lines: "
            + string.Join(", ", unexpected.GroupBy(s => corpus.KindOf(s.Id)).Select(g => $"{g.Key}: {g.Count()} (e.g. id '{g.First().Id}', user '{g.First().User}')")));
        Assert.True(counters.Rejected == corpus.RejectedCount,
            $"the worker counted {counters.Rejected} rejected lines; {corpus.RejectedCount} were to be rejected ({Describe(corpus.HostileKinds)})");
        Assert.Equal(corpus.Valid.Count + corpus.ToleratedIds.Count, stored.Count);
        foreach (var item in stored.Where(s => tolerated.Contains(s.Id!)))
        {
            // Never under another user's name: the author id stands in for the missing username.
            Assert.Equal(HostileCorpus.HostileAuthorId, item.User);
        }

        foreach (var item in stored.Where(s => !tolerated.Contains(s.Id!)))
        {
            var post = expected[item.Id!];
            Assert.Equal(post.Text, item.Text);
            Assert.Equal(post.Username, item.User);
            Assert.Equal($"{post.CreatedAt}#{post.Id}", item.Date);
            Assert.Equal(post.AuthorId, item.Item["author_id"].S);
        }

        await Scenario.AssertStillRunningAsync(worker);
        ReliabilityFigures.Record("input:hostile-lines", string.Create(CultureInfo.InvariantCulture,
            $"lines tried {corpus.Lines.Count}: hostile {corpus.HostileCount} ({corpus.HostileKinds.Count} kinds, {corpus.Lines.Sum(l => (long)l.Length) / 1048576.0:0.0} MiB in all), rejected and counted {counters.Rejected}, author missing from includes kept under the author id {corpus.ToleratedIds.Count}, valid posts with hostile values {corpus.Valid.Count} stored byte for byte, stored from invalid lines {unexpected.Count}"));
    }

    [Fact]
    public async Task Simulator_malformed_lines_are_each_counted_and_the_posts_around_them_stored()
    {
        var total = Scale.PostsPerRun;
        await using var system = await LocalSystem.StartAsync(
            Scenario.Settings(total, Scale.PostsPerSecond, burstSize: 50, new Dictionary<string, object> { ["MalformedLineRate"] = 0.3 }),
            cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var worker = await system.StartWorkerAsync(cancellationToken: Scenario.Token);

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        var sim = await system.Simulator.GetCountersAsync(Scenario.Token);
        var counters = await worker.GetCountersAsync(Scenario.Token);
        Assert.True(sim.MalformedSent > 0, "the simulator sent no malformed line");
        Assert.Equal(sim.MalformedSent, counters.Rejected);
        await Scenario.AssertStillRunningAsync(worker);
        ReliabilityFigures.Record("input:simulator-malformed", string.Create(CultureInfo.InvariantCulture,
            $"posts {total}, malformed lines sent {sim.MalformedSent}, rejected {counters.Rejected}; {audit}"));
    }

    private static string Describe(IReadOnlyDictionary<string, int> kinds) =>
        string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {k.Value}"));
}
