using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using System.Net;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;

namespace TwitterStream.Tests.Worker;

[Collection(DynamoDbLocalCollection.Name)]
public sealed class WorkerIntegrationTests(DynamoDbLocalFixture dynamo)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Matching_posts_arrive_with_their_keys_and_full_unicode_text_and_duplicates_collapse()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        const string unicode = "Ça va? 猫が好き 🐈‍⬛ — naïve café «ok» \u200d ¡sí!";
        api.EnqueueStream(new StreamScript(Lines:
        [
            StreamLines.Post("100", "alice", unicode),
            "",
            StreamLines.Post("101", "alice", "same second, other post"),
            StreamLines.Post("100", "alice", unicode),
            StreamLines.Post("102", "bob", "someone else's rule", tags: "other-worker"),
            "{\"data\": not json",
            StreamLines.Post("103", "bob", "two rules", "2024-01-15T10:36:01.5Z", "other-worker", "twitterstream"),
        ]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        var stats = await worker.WaitForStatsAsync(s => s.Kept == 4 && s.Stored == 4 && s.Rejected == 1, "4 kept posts stored");
        Assert.Equal(5, stats.Received);

        var items = await InProcessWorker.ScanAsync(dynamo, worker.TableName);
        var byKey = items.ToDictionary(item => (item["user"].S, item["date"].S));
        Assert.Equal(3, items.Count);
        var first = byKey[("alice", "2024-01-15T10:35:00.000Z#100")];
        Assert.Equal(unicode, first["text"].S);
        Assert.Equal("100", first["id"].S);
        Assert.Equal("2024-01-15T10:35:00.000Z", first["created_at"].S);
        Assert.Equal(["twitterstream"], first["rules"].L.Select(tag => tag.S));
        Assert.False(string.IsNullOrEmpty(first["author_id"].S));
        Assert.True(DateTimeOffset.TryParse(first["received_at"].S, out _));
        Assert.Equal("same second, other post", byKey[("alice", "2024-01-15T10:35:00.000Z#101")]["text"].S);
        var twoRules = byKey[("bob", "2024-01-15T10:36:01.500Z#103")];
        Assert.Equal(["other-worker", "twitterstream"], twoRules["rules"].L.Select(tag => tag.S).Order());
        Assert.Contains(("cats OR dogs", "twitterstream"), api.Rules);
    }

    [Fact]
    public async Task A_long_post_is_stored_whole_and_marked_long()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var whole = string.Join(' ', Enumerable.Range(0, 2_400).Select(i => i % 3 == 0 ? "東京の猫🐈" : i % 3 == 1 ? "naïve" : "مرحبا"));
        api.EnqueueStream(new StreamScript(Lines:
        [
            StreamLines.LongPost("200", "carol", whole),
            StreamLines.Post("201", "carol", "a short one"),
        ]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        await worker.WaitForStatsAsync(s => s.Stored == 2, "2 posts stored");

        var items = (await InProcessWorker.ScanAsync(dynamo, worker.TableName)).ToDictionary(item => item["id"].S);
        Assert.Equal(whole, items["200"]["text"].S);
        Assert.True(items["200"][PostsTableSchema.LongPost].BOOL);
        Assert.Equal("a short one", items["201"]["text"].S);
        Assert.False(items["201"][PostsTableSchema.LongPost].BOOL);
        Assert.Contains("tweet.fields=created_at,note_tweet", api.StreamQueries.First());
    }

    [Fact]
    public async Task With_STORE_RAW_POST_the_item_keeps_the_line_as_sent_and_POST_FIELDS_shapes_the_request()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var line = StreamLines.Post("300", "dana", "raw copy 🐈 \"quoted\"");
        api.EnqueueStream(new StreamScript(Lines: [line]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, new Dictionary<string, string?>
        {
            [WorkerVariables.StoreRawPost] = "true",
            [WorkerVariables.PostFields] = "-entities,+possibly_sensitive",
        });

        await worker.WaitForStatsAsync(s => s.Stored == 1, "1 post stored");

        var item = Assert.Single(await InProcessWorker.ScanAsync(dynamo, worker.TableName));
        Assert.Equal(line, item[PostsTableSchema.Raw].S);
        Assert.Equal("raw copy 🐈 \"quoted\"", item[PostsTableSchema.Text].S);
        var query = api.StreamQueries.First();
        Assert.Contains("possibly_sensitive", query);
        Assert.DoesNotContain("entities", query);
    }

    [Fact]
    public async Task Items_DynamoDB_leaves_unprocessed_are_retried_until_stored()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [.. Enumerable.Range(0, 60).Select(i => StreamLines.Post($"{500 + i}", $"user{i % 7}", $"post {i}"))]));
        using var client = new HalfUnprocessedClient(dynamo.ServiceUrl);
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, client: client);

        var stats = await worker.WaitForStatsAsync(s => s.Stored == 60, "60 posts stored");
        Assert.True(stats.WriteRetries > 0);
        Assert.True(client.LeftUnprocessed > 0);
        var items = await InProcessWorker.ScanAsync(dynamo, worker.TableName);
        Assert.Equal(60, items.Count);
    }

    [Fact]
    public async Task A_post_DynamoDB_refuses_for_good_is_dead_lettered_whole_and_the_posts_around_it_stored()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var lines = Enumerable.Range(0, 60).Select(i => StreamLines.Post($"{700 + i}", $"user{i % 7}", $"post {i}")).ToList();
        lines.Insert(30, StreamLines.RefusedByDynamoDb("699", "too_many_rules", "refused"));
        api.EnqueueStream(new StreamScript(Lines: lines));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        var stats = await worker.WaitForStatsAsync(s => s.Stored == 60 && s.DeadLettered == 1, "60 posts stored and 1 dead-lettered");
        Assert.Equal(0, stats.WriteRetries);
        Assert.Equal(60, (await InProcessWorker.ScanAsync(dynamo, worker.TableName)).Count);
        using var client = dynamo.CreateClient();
        var letter = Assert.Single(await DeadLetters.ReadAsync(client, worker.TableName, TestContext.Current.CancellationToken));
        Assert.Equal("too_many_rules", letter.PostUser);
        Assert.Equal(PostsTableSchema.SortKeyOf(StreamLines.DefaultCreatedAt, "699"), letter.PostDate);
        Assert.Contains("size", letter.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(letter.Parts > 1, $"the refused item took {letter.Parts} part(s); the test means to prove it is split and joined");
        Assert.Equal("699", letter.String(PostsTableSchema.Id));
        Assert.Equal("refused", letter.String(PostsTableSchema.Text));
        Assert.Equal(61, letter.Item.GetProperty(PostsTableSchema.Rules).GetProperty("L").GetArrayLength());
        Assert.Contains(worker.Logs, log => log.Level == Microsoft.Extensions.Logging.LogLevel.Error && log.Message.Contains("699", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Posts_arriving_within_WRITE_LINGER_MS_share_one_BatchWriteItem()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [.. Enumerable.Range(0, 10).Select(i => StreamLines.Post($"{800 + i}", $"user{i}", $"post {i}"))]));
        using var client = new CountingClient(dynamo.ServiceUrl);
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, new Dictionary<string, string?>
        {
            [WorkerVariables.WriteLingerMilliseconds] = "1000",
            [WorkerVariables.ReadCoalesceMilliseconds] = "0",
        }, client: client);

        await worker.WaitForStatsAsync(s => s.Stored == 10, "10 posts stored");
        Assert.True(client.Calls <= 2, $"10 posts sent back to back took {client.Calls} BatchWriteItem calls with a 1 s linger");
    }

    [Fact]
    public async Task A_silent_stream_is_treated_as_stalled_and_reconnected()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("200", "carol", "before the stall")]));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("201", "carol", "after the stall")]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, new Dictionary<string, string?> { [WorkerVariables.StallTimeoutSeconds] = "0.5" });

        var stats = await worker.WaitForStatsAsync(s => s.Stored == 2, "both posts stored");
        Assert.True(stats.Reconnects >= 1);
        Assert.True(api.StreamConnections >= 2);
    }

    [Fact]
    public async Task An_error_object_in_the_stream_reconnects_at_once()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.OperationalDisconnect]));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("300", "dave", "after the disconnect")]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        var stats = await worker.WaitForStatsAsync(s => s.Stored == 1, "the post after the disconnect");
        Assert.Equal(1, stats.Reconnects);
        Assert.Equal(0, stats.Rejected);
    }

    [Fact]
    public async Task A_401_from_the_stream_stops_the_worker_with_an_error_exit_code()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Status: 401));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        await worker.WaitForSelfStopAsync(Timeout);
        Assert.Equal(2, worker.ExitCode);
        Assert.Equal(1, api.StreamConnections);
    }

    [Fact]
    public async Task A_409_re_syncs_the_rules_and_then_reads_the_stream()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Status: 409));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("400", "erin", "rules are back")]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        await worker.WaitForStatsAsync(s => s.Stored == 1, "the post after the 409");
        Assert.Equal([("cats OR dogs", "twitterstream")], api.Rules);
        Assert.Equal(2, api.RuleChanges.Count(change => change.Contains("\"add\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Health_and_stats_endpoints_report_the_stream_state()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Status: 503));
        api.EnqueueStream(new StreamScript(Lines: [StreamLines.Post("600", "gina", "hello")]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo, new Dictionary<string, string?> { [WorkerVariables.StallTimeoutSeconds] = "600" });
        using var http = new HttpClient { BaseAddress = worker.BaseAddress };
        var cancel = TestContext.Current.CancellationToken;

        // A 503 backs off 5 s before the second connection; meanwhile the stream is not connected.
        await api.WaitForStreamConnectionsAsync(1, Timeout);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive", cancel)).StatusCode);

        await worker.WaitForStatsAsync(s => s.Stored == 1 && s.StreamConnected, "a connected stream");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", cancel)).StatusCode);
        var stats = await http.GetStringAsync("/stats", cancel);
        Assert.StartsWith("""{"received":1,"kept":1,"stored":1,"rejected":0,"reconnects":1,"writeRetries":0,"bufferDepth":0,"streamConnected":true,"latencyMs":{"p50":""", stats, StringComparison.Ordinal);
        Assert.Contains(""","count":1,"buckets":[{"upperBoundMs":""", stats, StringComparison.Ordinal);
        Assert.Contains(""","count":1}]},"usage":{"projectUsage":null,""", stats, StringComparison.Ordinal);
    }

    /// <summary>The real client, except that the first batch write stores only half and returns the rest as unprocessed.</summary>
    private sealed class HalfUnprocessedClient(string serviceUrl) : Amazon.DynamoDBv2.AmazonDynamoDBClient(
        new BasicAWSCredentials(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey),
        new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = LocalAwsCredentials.Region })
    {
        private int _calls;

        public int LeftUnprocessed { get; private set; }

        public override async Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) > 3)
            {
                return await base.BatchWriteItemAsync(request, cancellationToken);
            }

            var (table, writes) = request.RequestItems.Single();
            var half = writes.Count / 2;
            if (half == 0)
            {
                return await base.BatchWriteItemAsync(request, cancellationToken);
            }

            await base.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = writes[..half] } }, cancellationToken);
            LeftUnprocessed += writes.Count - half;
            return new BatchWriteItemResponse { UnprocessedItems = new() { [table] = writes[half..] } };
        }
    }

    private sealed class CountingClient(string serviceUrl) : Amazon.DynamoDBv2.AmazonDynamoDBClient(
        new BasicAWSCredentials(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey),
        new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = LocalAwsCredentials.Region })
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return base.BatchWriteItemAsync(request, cancellationToken);
        }
    }
}
