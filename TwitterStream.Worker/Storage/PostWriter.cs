using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// Drains the buffer into DynamoDB with BatchWriteItem (up to 25 distinct keys per call, several calls in flight).
/// A batch is taken as soon as a write slot is free, so a slow stream is flushed at once and a fast one fills batches
/// while the slots are busy. Unprocessed items and failures are retried with jittered backoff: nothing is dropped.
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

    /// <summary>Waits for one post, then takes whatever else is already waiting, up to 25 distinct keys.</summary>
    private async Task<Batch?> TakeBatchAsync()
    {
        var reader = buffer.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new Batch(items);
            while (batch.Count < MaxBatchSize && reader.TryRead(out var post))
            {
                batch.Add(post);
            }

            if (batch.Posts.Count > 0)
            {
                batch.Watermark = watermark?.Taken(batch.Posts);
                return batch;
            }
        }

        return null;
    }

    private async Task WriteAsync(Batch batch)
    {
        using var activity = StartWriteActivity(batch.Posts);
        activity?.SetTag("db.system", "dynamodb");
        activity?.SetTag("aws.dynamodb.table_names", options.TableName);
        activity?.SetTag("twitterstream.batch.size", batch.Count);

        var pending = batch.Requests();
        var attempt = 0;
        for (; ; attempt++)
        {
            try
            {
                var response = await dynamoDb.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [options.TableName] = pending } },
                    CancellationToken.None);
                health.WriteSucceeded();
                if (response.UnprocessedItems is null
                    || !response.UnprocessedItems.TryGetValue(options.TableName, out var unprocessed)
                    || unprocessed is null || unprocessed.Count == 0)
                {
                    break;
                }

                LogUnprocessed(logger, unprocessed.Count, pending.Count);
                pending = unprocessed;
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

        activity?.SetTag("twitterstream.batch.attempts", attempt + 1);
        if (batch.Watermark is { } taken)
        {
            watermark!.Stored(taken);
        }

        var now = time.GetTimestamp();
        foreach (var post in batch.Posts)
        {
            metrics.PostStored(time.GetElapsedTime(post.ReceivedTimestamp, now).TotalMilliseconds);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogStored(logger, PostItemMapper.PartitionKey(post), PostItemMapper.SortKey(post), post.Text);
            }
        }

        batch.ReturnItems();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer drained the buffer and stopped")]
    private static partial void LogDrained(ILogger logger);
}
