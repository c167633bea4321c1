using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Faults of DynamoDB: the emulator stopped and started again on the same data, throttling and partial batches (a
/// fault-injecting proxy in front of it), and writes failing for a while: nothing lost, nothing duplicated, memory bounded.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DynamoFaultTests(SharedDynamoDbLocal dynamo)
{
    private const int BufferCapacity = 1_000;
    private const int WriteConcurrency = 4;
    private const int BatchSize = 25;

    /// <summary>
    /// Generous per-post allowance for what one buffered post costs: the parsed strings (a 280-character text is about
    /// 1 KiB as UTF-16), the DynamoDB request it becomes, and allocator slack.
    /// </summary>
    private const long BytesPerHeldPost = 16 * 1024;

    /// <summary>Headroom over the idle worker for the GC, HTTP buffers and the SDK's retry state.</summary>
    private const long Headroom = 96L * 1024 * 1024;

    private static ReliabilityScale Scale => ReliabilityScale.Current;

    [Fact]
    public async Task DynamoDB_outage_then_restart_on_the_same_data_loses_nothing()
    {
        var rate = 200;
        var total = (int)(rate * (Scale.DynamoOutage.TotalSeconds + 5));
        var dataDirectory = Directory.CreateTempSubdirectory("twitterstream-dynamo-").FullName;
        try
        {
            await using var system = await LocalSystem.StartAsync(
                Scenario.Settings(total, rate), dynamoDataDirectory: dataDirectory, cancellationToken: Scenario.Token);
            var worker = await system.StartWorkerAsync(cancellationToken: Scenario.Token);
            await Readiness.WaitUntilAsync(worker.Process, async () => (await worker.GetCountersAsync(Scenario.Token)).Stored >= rate,
                TimeSpan.FromSeconds(30), "store the first posts", Scenario.Token);

            long heldDuringOutage = 0;
            var retriesBefore = (await worker.GetCountersAsync(Scenario.Token)).WriteRetries;
            await system.RestartDynamoAsync(whileDown: async () =>
            {
                // The outage lasts as long as the scale says; meanwhile the worker must keep reading into its buffer.
                using var outage = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed < Scale.DynamoOutage && await outage.WaitForNextTickAsync(Scenario.Token))
                {
                    heldDuringOutage = Math.Max(heldDuringOutage, (await worker.GetCountersAsync(Scenario.Token)).BufferDepth);
                }
            }, Scenario.Token);

            await Scenario.SettleAsync(system, total);
            var audit = await Scenario.AssertCompleteAsync(system, total);
            await Scenario.AssertStillRunningAsync(worker);
            var counters = await worker.GetCountersAsync(Scenario.Token);
            Assert.True(counters.WriteRetries > retriesBefore, $"no write was retried across the outage: {counters}");
            Assert.True(heldDuringOutage > 0, "the worker held nothing while DynamoDB was down: the outage did not bite");
            ReliabilityFigures.Record("dynamodb:outage", string.Create(CultureInfo.InvariantCulture,
                $"outage {Scale.DynamoOutage.TotalSeconds:0} s (process stopped, restarted on the same -dbPath), posts {total}, most held during it {heldDuringOutage}, write retries {counters.WriteRetries - retriesBefore}; {audit}"));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Throttling_and_partial_batches_lose_nothing()
    {
        var total = Scale.PostsPerRun * 2;
        await using var system = await LocalSystem.StartAsync(
            Scenario.Settings(total, Scale.PostsPerSecond, burstSize: 100), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        await using var proxy = await FaultyDynamoProxy.StartAsync(system.Dynamo.ServiceUrl, cancellationToken: Scenario.Token);
        proxy.ThrottleRate = 0.2;
        proxy.UnprocessedShare = 0.2;
        var worker = await system.StartWorkerAsync(new Dictionary<string, string?>(proxy.WorkerEnvironment), Scenario.Token);

        await Scenario.SettleAsync(system, total);
        var audit = await Scenario.AssertCompleteAsync(system, total);
        await Scenario.AssertStillRunningAsync(worker);
        var counters = await worker.GetCountersAsync(Scenario.Token);
        Assert.True(proxy.Throttled > 0 && proxy.ItemsHeldBack > 0, "the proxy injected no fault");
        Assert.True(counters.WriteRetries > 0, $"the worker retried nothing: {counters}");
        ReliabilityFigures.Record("dynamodb:throttling+partial", string.Create(CultureInfo.InvariantCulture,
            $"posts {total}, BatchWriteItem calls {proxy.BatchWrites}, throttled {proxy.Throttled}, items returned unprocessed {proxy.ItemsHeldBack}, worker write retries {counters.WriteRetries}; {audit}"));
    }

    [Fact]
    public async Task Memory_stays_bounded_while_writes_fail()
    {
        // Bound: the idle worker + BUFFER_CAPACITY posts + the batches in flight, each post at most BytesPerHeldPost,
        // + Headroom. Reading pauses when the buffer is full, so a faster stream must not raise it.
        var total = Scale.IsLong ? 200_000 : 20_000;
        await using var system = await LocalSystem.StartAsync(
            Scenario.Settings(total, postsPerSecond: 0), cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        await using var proxy = await FaultyDynamoProxy.StartAsync(system.Dynamo.ServiceUrl, cancellationToken: Scenario.Token);
        proxy.RefuseWrites = true;
        var worker = await system.StartWorkerAsync(new Dictionary<string, string?>(proxy.WorkerEnvironment)
        {
            [WorkerVariables.BufferCapacity] = BufferCapacity.ToString(CultureInfo.InvariantCulture),
            [WorkerVariables.WriteConcurrency] = WriteConcurrency.ToString(CultureInfo.InvariantCulture),

            // Reading is held back far longer than the stall timeout (at both scales): a paused reader is not a
            // stalled server, and dropping the connection would lose what the server already sent.
            [WorkerVariables.StallTimeoutSeconds] = (Scale.WritesFailing.TotalSeconds / 3).ToString(CultureInfo.InvariantCulture),
        }, Scenario.Token);
        var idle = worker.Process.Sample().RssBytes;
        var heldAtMost = BufferCapacity + (WriteConcurrency + 1) * BatchSize;
        var bound = idle + heldAtMost * BytesPerHeldPost + Headroom;

        await using (var samples = new Sampler<(WorkerStats Counters, ProcessSample Process)>(
            async () => (await worker.GetCountersAsync(Scenario.Token), worker.Process.Sample()), TimeSpan.FromMilliseconds(200)))
        {
            await Readiness.WaitUntilAsync(worker.Process, () => Task.FromResult(samples.Samples.Count > 0 && samples.Samples[^1].At >= Scale.WritesFailing),
                Scale.WritesFailing + TimeSpan.FromSeconds(30), "keep failing writes for a while", Scenario.Token);
            var peakRss = worker.Process.Sample().PeakRssBytes;
            var mostReceived = samples.Samples.Max(s => s.Value.Counters.Received);
            var sent = await system.Simulator.GetCountersAsync(Scenario.Token);
            Assert.True(proxy.Throttled > 0, "no write reached the proxy");
            Assert.True(sent.PostsSent < total, $"the stream was never held back: all {total} posts were sent while writes failed");
            Assert.True(mostReceived <= heldAtMost + 2 * BatchSize,
                $"the worker read {mostReceived} posts while none could be stored; its buffer holds {BufferCapacity} + {WriteConcurrency} batches in flight");
            Assert.True(peakRss <= bound, $"peak RSS {peakRss / 1048576.0:0.0} MiB is over the bound {bound / 1048576.0:0.0} MiB (idle {idle / 1048576.0:0.0} MiB)");

            // Counted when writes resume: once everything is stored the stream goes quiet for longer than this test's
            // short stall timeout (keep-alives come every 20 s), and reconnecting then is the watchdog doing its job.
            var reconnects = (await worker.GetCountersAsync(Scenario.Token)).Reconnects;
            Assert.True(reconnects == 0, $"the worker dropped the stream {reconnects} times while its buffer was full");
            proxy.RefuseWrites = false;
            await Scenario.SettleAsync(system, total);
            var audit = await Scenario.AssertCompleteAsync(system, total);
            await Scenario.AssertStillRunningAsync(worker);
            ReliabilityFigures.Record("dynamodb:writes-failing", string.Create(CultureInfo.InvariantCulture,
                $"writes refused {Scale.WritesFailing.TotalSeconds:0} s ({proxy.Throttled} BatchWriteItem calls throttled), most posts read meanwhile {mostReceived} (buffer {BufferCapacity}), stream kept open (stall timeout {Scale.WritesFailing.TotalSeconds / 3:0} s), peak RSS {peakRss / 1048576.0:0.0} MiB <= bound {bound / 1048576.0:0.0} MiB (idle {idle / 1048576.0:0.0} MiB + {heldAtMost} posts x {BytesPerHeldPost / 1024} KiB + {Headroom / 1048576} MiB); {audit}"));
        }
    }
}
