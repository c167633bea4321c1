using System.Collections.Concurrent;
using System.Diagnostics;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// What the dashboard's Traces page shows while the stream runs: a span per received read of lines (not one span open
/// for the connection's life), and each BatchWriteItem as a child of a receive span, linked to the receive span of
/// every post it stored.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class PipelineTraceTests(DynamoDbLocalFixture dynamo)
{
    [Fact]
    public async Task Each_post_is_traced_from_the_read_that_received_it_to_the_write_that_stored_it()
    {
        const int posts = 40;
        using var spans = new FinishedSpans();
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: [.. Enumerable.Range(0, posts).Select(i => StreamLines.Post($"{7_000 + i}", $"user{i % 5}", $"post {i}"))]));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        await worker.WaitForStatsAsync(s => s.Stored == posts, $"{posts} posts stored");
        var writes = await Eventually.WaitAsync(
            () => Task.FromResult(spans.Named(WorkerTelemetry.BatchWriteActivity)
                .Where(write => Equals(write.GetTagItem("aws.dynamodb.table_names"), worker.TableName)).ToList()),
            found => found.Sum(write => (int)write.GetTagItem("twitterstream.batch.size")!) >= posts,
            TimeSpan.FromSeconds(10),
            "the write spans of every post");

        var receives = spans.Named(WorkerTelemetry.StreamReceiveActivity).ToDictionary(span => span.SpanId);
        var linked = writes.SelectMany(write => write.Links).Select(link => link.Context.SpanId).Distinct().ToList();
        Assert.NotEmpty(linked);
        Assert.All(linked, spanId => Assert.True(receives.ContainsKey(spanId), "a write links to a span that is not a receive span"));
        Assert.Equal(posts, linked.Sum(spanId => (int)receives[spanId].GetTagItem("twitterstream.posts.kept")!));
        Assert.All(writes, write =>
        {
            Assert.True(receives.TryGetValue(write.ParentSpanId, out var parent), "a write is not the child of a receive span");
            Assert.Equal(parent!.TraceId, write.TraceId);
            Assert.Contains(write.Links, link => link.Context.SpanId == write.ParentSpanId);
        });

        // The receive spans are roots of their own traces, linked to the connection's span, which ended when X answered.
        var connect = Assert.Single(spans.Named(WorkerTelemetry.StreamConnectActivity), span =>
            linked.Any(spanId => receives[spanId].Links.Any(link => link.Context.SpanId == span.SpanId)));
        Assert.All(linked, spanId =>
        {
            Assert.Equal(default, receives[spanId].ParentSpanId);
            Assert.True(receives[spanId].StartTimeUtc >= connect.StartTimeUtc + connect.Duration, "a receive span started before the connect span ended");
        });
    }

    /// <summary>Every span of the worker's source that ended while the test ran (other tests' spans included: filter).</summary>
    private sealed class FinishedSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _finished = new();
        private readonly ActivityListener _listener;

        public FinishedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _finished.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IEnumerable<Activity> Named(string name) => _finished.Where(span => span.OperationName == name);

        public void Dispose() => _listener.Dispose();
    }
}
