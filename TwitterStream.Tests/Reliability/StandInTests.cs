using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>The harness stand-ins the scenarios rely on do what they claim.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class StandInTests(SharedDynamoDbLocal dynamo)
{
    [Fact]
    public async Task Proxy_returns_held_back_items_as_unprocessed_and_writes_only_the_rest()
    {
        var table = $"proxy-{Guid.NewGuid():N}";
        using (var direct = dynamo.Process.CreateClient())
        {
            await PostsTable.CreateAsync(direct, table, Scenario.Token);
        }

        await using var proxy = await FaultyDynamoProxy.StartAsync(dynamo.Process.ServiceUrl, cancellationToken: Scenario.Token);
        proxy.UnprocessedShare = 0.5;
        using var client = new AmazonDynamoDBClient(DynamoDbLocalProcess.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = proxy.BaseUrl.ToString(), AuthenticationRegion = LocalAwsCredentials.Region, MaxErrorRetry = 0 });
        var requests = Enumerable.Range(0, 25).Select(i => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
        {
            ["user"] = new() { S = "u" },
            ["date"] = new() { S = $"2024-01-01T00:00:00.000Z#{i}" },
        }))).ToList();

        var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = requests } }, Scenario.Token);

        var unprocessed = response.UnprocessedItems.TryGetValue(table, out var held) ? held.Count : 0;
        Assert.InRange(unprocessed, 1, 24);
        Assert.Equal(unprocessed, proxy.ItemsHeldBack);
        var stored = await PostsTable.ScanAsync(client, table, Scenario.Token);
        Assert.Equal(25 - unprocessed, stored.Count);
        Assert.Empty(stored.Select(s => s.Date).Intersect(held!.Select(r => r.PutRequest.Item["date"].S)));

        proxy.UnprocessedShare = 0;
        proxy.RefuseWrites = true;
        await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() =>
            client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = requests } }, Scenario.Token));
        Assert.Equal(1, proxy.Throttled);
    }

    [Fact]
    public async Task Scripted_stream_sends_the_lines_byte_for_byte()
    {
        byte[][] lines = [[0x7B, 0xC3, 0x28, 0x7D], "{\"data\":{}}"u8.ToArray(), []];
        await using var api = await ScriptedXApi.StartAsync(lines, Scenario.Token);
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ScriptedXApi.BearerToken);
        using var response = await http.GetAsync("/2/tweets/search/stream", HttpCompletionOption.ResponseHeadersRead, Scenario.Token);
        await using var body = await response.Content.ReadAsStreamAsync(Scenario.Token);
        var expected = lines.SelectMany(l => l.Concat("\r\n"u8.ToArray())).ToArray();
        var received = new byte[expected.Length];
        await body.ReadExactlyAsync(received, Scenario.Token);

        Assert.Equal(expected, received);
        await api.AllSent.WaitAsync(TimeSpan.FromSeconds(5), Scenario.Token);
        Assert.Equal(1, api.StreamConnections);
    }

    [Fact]
    public async Task Otlp_receiver_keeps_what_it_is_sent()
    {
        await using var otlp = await OtlpReceiver.StartAsync(Scenario.Token);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(otlp.BaseUrl, "/v1/logs"), new ByteArrayContent("canary-bytes"u8.ToArray()), Scenario.Token);

        Assert.True(response.IsSuccessStatusCode);
        var export = Assert.Single(otlp.Exports);
        Assert.Equal("/v1/logs", export.Path);
        Assert.Equal("canary-bytes", Encoding.UTF8.GetString(export.Body));
    }

    [Fact]
    public void Hostile_corpus_holds_every_kind_the_issue_names_at_the_asked_size()
    {
        var corpus = HostileCorpus.Build(10_000);

        Assert.Equal(10_000, corpus.HostileCount);
        string[] named = ["truncated", "deeply nested", "wrong type", "missing", "null", "huge", "invalid UTF-8", "control character", "author not in includes", "not a number"];
        Assert.All(named, kind => Assert.Contains(corpus.HostileKinds.Keys, k => k.Contains(kind, StringComparison.Ordinal)));
        Assert.Contains(corpus.Valid, p => p.Text.Length > 280 && p.Text.EnumerateRunes().Any(r => r.Utf8SequenceLength == 4));
        Assert.Contains(corpus.Valid, p => p.Text.Contains('"', StringComparison.Ordinal) && p.Username.Contains('"', StringComparison.Ordinal));
        Assert.Contains(corpus.Valid, p => p.Text.Contains('\n', StringComparison.Ordinal));
    }
}
