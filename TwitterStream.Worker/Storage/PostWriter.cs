using System.Diagnostics;
using System.Threading.Channels;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// Drains the buffer into DynamoDB with BatchWriteItem (up to 25 distinct keys per call, several calls in flight).
/// A batch is taken as soon as a write slot is free, so a slow stream is flushed at once and a fast one fills batches
/// while the slots are busy. Unprocessed items and failures are retried with jittered backoff: nothing is dropped. A
/// post DynamoDB refuses for good is isolated and kept as a dead letter, so it neither blocks a slot nor the posts
/// written with it.
/// On shutdown it keeps going until the buffer is complete and empty.
/// </summary>
internal sealed partial class PostWriter(
    IAmazonDynamoDB dynamoDb,
    PostBuffer buffer,
    WorkerOptions options,
    WorkerMetrics metrics,
    WorkerHealthState health,
    RetryBackoff backoff,
    PostItemPool items,
    TimeProvider time,
    ILogger<PostWriter> logger,
    StoredWatermark? watermark = null) : BackgroundService
{
    public const int MaxBatchSize = 25;

    // Shutdown: the stopping token fires first, but the buffer must still be drained, so it is deliberately unused.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var slots = new SemaphoreSlim(options.WriteConcurrency);
        while (true)
        {
            await slots.WaitAsync(CancellationToken.None);
            var batch = await TakeBatchAsync();
            if (batch is null)
            {
                slots.Release();
                break;
            }

            _ = WriteAndReleaseAsync(batch, slots);
        }

        for (var i = 0; i < options.WriteConcurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }

        LogDrained(logger);
    }

    private async Task WriteAndReleaseAsync(Batch batch, SemaphoreSlim slots)
    {
        try
        {
            await WriteAsync(batch);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Waits for one post, then takes whatever else is already waiting, up to 25 distinct keys; a batch still short of
    /// 25 waits up to WRITE_LINGER_MS for more. A fast stream fills a batch at once and never waits.
    /// </summary>
    private async Task<Batch?> TakeBatchAsync()
    {
        var reader = buffer.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new Batch(items);
            TakeWaiting(batch, reader);
            if (batch.Posts.Count == 0)
            {
                continue;
            }

            if (batch.Count < MaxBatchSize && options.WriteLinger > TimeSpan.Zero)
            {
                await LingerAsync(batch, reader);
            }

            batch.Watermark = watermark?.Taken(batch.Posts);
            return batch;
        }

        return null;
    }

    private static void TakeWaiting(Batch batch, ChannelReader<Post> reader)
    {
        while (batch.Count < MaxBatchSize && reader.TryRead(out var post))
        {
            batch.Add(post);
        }
    }

    /// <summary>
    /// One wait, then whatever arrived: waking for every post that arrives meanwhile would cost more than the calls saved.
    /// At rates where 25 posts arrive sooner, the buffer holds a full batch when the next one is taken.
    /// </summary>
    private async Task LingerAsync(Batch batch, ChannelReader<Post> reader)
    {
        await Task.Delay(options.WriteLinger, time, CancellationToken.None);
        TakeWaiting(batch, reader);
    }

    private async Task WriteAsync(Batch batch)
    {
        using var activity = StartWriteActivity(batch.Posts);
        activity?.SetTag("db.system", "dynamodb");
        activity?.SetTag("aws.dynamodb.table_names", options.TableName);
        activity?.SetTag("twitterstream.batch.size", batch.Count);

        List<(string User, string Date)>? refused = null;
        var calls = await WriteRequestsAsync(batch.Requests(), activity, async (item, reason) =>
        {
            await DeadLetterAsync(item, reason, activity);
            (refused ??= []).Add((item[PostsTableSchema.PartitionKey].S, item[PostsTableSchema.SortKey].S));
        });

        activity?.SetTag("twitterstream.batch.attempts", calls);

        // A dead-lettered post is kept durably too (in the dead-letter items), so it does not hold the watermark back.
        if (batch.Watermark is { } taken)
        {
            watermark!.Stored(taken);
        }

        var now = time.GetTimestamp();
        foreach (var post in batch.Posts)
        {
            if (refused is not null && refused.Contains((PostItemMapper.PartitionKey(post), PostItemMapper.SortKey(post))))
            {
                continue;
            }

            metrics.PostStored(time.GetElapsedTime(post.ReceivedTimestamp, now).TotalMilliseconds);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogStored(logger, PostItemMapper.PartitionKey(post), PostItemMapper.SortKey(post), post.Text);
            }
        }

        batch.ReturnItems();
    }

    /// <summary>
    /// Writes <paramref name="pending"/> until DynamoDB has taken all of it: unprocessed items and failures that may
    /// pass are retried with backoff. When DynamoDB refuses the request for good, BatchWriteItem does not say which
    /// item is at fault, so the request is split in halves and each written the same way until the refused item stands
    /// alone; it goes to <paramref name="refused"/> and everything else is stored. Returns the BatchWriteItem calls made.
    /// </summary>
    private async Task<int> WriteRequestsAsync(List<WriteRequest> pending, Activity? activity, Func<Dictionary<string, AttributeValue>, string, Task> refused)
    {
        var calls = 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                calls++;
                var response = await dynamoDb.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [options.TableName] = pending } },
                    CancellationToken.None);
                health.WriteSucceeded();
                if (response.UnprocessedItems is null
                    || !response.UnprocessedItems.TryGetValue(options.TableName, out var unprocessed)
                    || unprocessed is null || unprocessed.Count == 0)
                {
                    return calls;
                }

                LogUnprocessed(logger, unprocessed.Count, pending.Count);
                pending = unprocessed;
            }
            catch (Exception exception) when (DynamoDbRefusal.IsForGood(exception))
            {
                // DynamoDB answered, so writing works; only what was sent is wrong.
                health.WriteSucceeded();
                activity?.AddEvent(new ActivityEvent("refused", tags: new() { ["exception.message"] = exception.Message, ["twitterstream.batch.size"] = pending.Count }));
                if (pending.Count == 1)
                {
                    await refused(pending[0].PutRequest.Item, exception.Message);
                    return calls;
                }

                var half = pending.Count / 2;
                calls += await WriteRequestsAsync(pending[..half], activity, refused);
                calls += await WriteRequestsAsync(pending[half..], activity, refused);
                return calls;
            }
            catch (Exception exception)
            {
                health.WriteFailed();
                LogWriteFailed(logger, exception, pending.Count, exception.Message);
                activity?.AddEvent(new ActivityEvent("retry", tags: new() { ["exception.message"] = exception.Message }));
            }

            metrics.WriteRetried();
            await Task.Delay(backoff.Delay(attempt), time, CancellationToken.None);
        }
    }

    /// <summary>
    /// Keeps a refused item in the dead-letter place (<see cref="DeadLetterSchema"/>), written like posts (retried while
    /// DynamoDB may take it later). Should DynamoDB refuse even that, the error log is the last place the key and reason go.
    /// </summary>
    private async Task DeadLetterAsync(Dictionary<string, AttributeValue> item, string reason, Activity? activity)
    {
        var user = item.TryGetValue(PostsTableSchema.PartitionKey, out var u) ? u.S : null;
        var date = item.TryGetValue(PostsTableSchema.SortKey, out var d) ? d.S : null;
        var kept = true;
        await WriteRequestsAsync(DeadLetter.Requests(item, reason, time.GetUtcNow()), activity, (_, refusal) =>
        {
            kept = false;
            LogDeadLetterRefused(logger, user, date, reason, refusal);
            return Task.CompletedTask;
        });

        if (kept)
        {
            metrics.PostDeadLettered();
            LogDeadLettered(logger, user, date, reason);
        }
    }

    /// <summary>
    /// The write's span: a child of the span that received its first post, so a trace shows a post from the stream to
    /// the table, and linked to the receive span of every post it stores.
    /// </summary>
    private static Activity? StartWriteActivity(List<Post> posts)
    {
        if (!WorkerTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>();
        foreach (var post in posts)
        {
            if (post.ReceivedIn is { } received && !links.Exists(link => link.Context == received.Context))
            {
                links.Add(new ActivityLink(received.Context));
            }
        }

        var parent = links.Count > 0 ? links[0].Context : default;
        return WorkerTelemetry.ActivitySource.StartActivity(WorkerTelemetry.BatchWriteActivity, ActivityKind.Client, parent, links: links);
    }

    /// <summary>One BatchWriteItem's worth of posts; a key seen twice (a re-delivered post) is written once.</summary>
    private sealed class Batch(PostItemPool pool)
    {
        private readonly Dictionary<(string User, string Date), PostItem> _items = new(MaxBatchSize);
        private readonly List<PostItem> _superseded = [];

        public List<Post> Posts { get; } = new(MaxBatchSize);

        /// <summary>The batch's place in the stored-through watermark, reported once it is written.</summary>
        public object? Watermark { get; set; }

        /// <summary>Distinct keys in the batch.</summary>
        public int Count => _items.Count;

        public void Add(Post post)
        {
            Posts.Add(post);
            var item = pool.Rent(post);
            if (_items.Remove((item.User, item.Date), out var earlier))
            {
                _superseded.Add(earlier);
            }

            _items[(item.User, item.Date)] = item;
        }

        public List<WriteRequest> Requests() => [.. _items.Values.Select(item => item.Request)];

        /// <summary>After the write has finished: the SDK no longer reads the items.</summary>
        public void ReturnItems()
        {
            foreach (var item in _items.Values)
            {
                pool.Return(item);
            }

            foreach (var item in _superseded)
            {
                pool.Return(item);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{User} {Date} {Text}")]
    private static partial void LogStored(ILogger logger, string user, string date, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB left {Unprocessed} of {Sent} items unprocessed; retrying them")]
    private static partial void LogUnprocessed(ILogger logger, int unprocessed, int sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BatchWriteItem of {Count} items failed ({Reason}); retrying with backoff")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "DynamoDB refused the post {User} {Date} for good ({Reason}); it is kept in the dead-letter items of the table's reserved partition")]
    private static partial void LogDeadLettered(ILogger logger, string? user, string? date, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "DynamoDB refused the post {User} {Date} for good ({Reason}) and refused its dead letter too ({Refusal}); the post is not stored anywhere")]
    private static partial void LogDeadLetterRefused(ILogger logger, string? user, string? date, string reason, string refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer drained the buffer and stopped")]
    private static partial void LogDrained(ILogger logger);
}
