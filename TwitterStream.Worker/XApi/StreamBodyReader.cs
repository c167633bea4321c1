using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.XApi;

internal enum StreamEnd
{
    /// <summary>The server closed the response or the connection broke.</summary>
    Closed,

    /// <summary>No byte within the stall timeout.</summary>
    Stalled,

    /// <summary>The stream sent an error object.</summary>
    ErrorMessage,

    /// <summary>The worker is stopping.</summary>
    Stopping,
}

/// <summary>How a connection ended and whether it was healthy enough to reset the reconnect schedule.</summary>
internal readonly record struct StreamSessionResult(StreamEnd End, bool DeliveredPosts);

/// <summary>
/// Reads the newline-delimited body with System.IO.Pipelines, finds lines as byte spans and hands them to the
/// <see cref="StreamLineProcessor"/>. A watchdog on the injected clock ends the session after the stall timeout without
/// a byte (keep-alives count) while it waits for the server; time spent waiting for room in the buffer does not count.
/// </summary>
/// <remarks>
/// Each read also tells the <see cref="StoredWatermark"/> how far the stream is in hand, and the
/// <see cref="RecoveryTracker"/> which posts came again after a gap.
/// </remarks>
internal sealed class StreamBodyReader(
    StreamLineProcessor processor,
    WorkerOptions options,
    TimeProvider time,
    StoredWatermark? watermark = null,
    RecoveryTracker? recovery = null)
{
    private const int MaxLineBytes = 4 * 1024 * 1024;


    // X sends a keep-alive every 20 s and they arrive slightly late: without this margin a stall timeout equal to the
    // keep-alive interval races every idle keep-alive, and the needless reconnect can be refused with a 60 s 429.
    public static readonly TimeSpan KeepAliveGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long the reader waits, after the server sent an error object, for the server to close the stream.</summary>
    public static readonly TimeSpan ServerCloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>Reads until the stream ends; each read that holds lines gets a span linked to <paramref name="connection"/>.</summary>
    public async Task<StreamSessionResult> ReadAsync(Stream body, CancellationToken stopping, ActivityContext connection = default)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var silenceAllowed = options.StallTimeout + KeepAliveGrace;
        using var watchdog = time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), stall, silenceAllowed, Timeout.InfiniteTimeSpan);
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var delivered = false;
        var errorSeen = false;
        long? pausedSince = null;
        try
        {
            while (true)
            {
                // After an error object the server is closing: wait briefly for it to, so the reconnect does not race
                // our own old connection (X, like the simulator, refuses a second one with 429 TooManyConnections, and
                // a 429 costs a minute's backoff).
                watchdog.Change(errorSeen ? ServerCloseGrace : silenceAllowed, Timeout.InfiniteTimeSpan);
                ReadResult result;
                bool waitedForData;
                try
                {
                    var read = reader.ReadAsync(stall.Token);
                    waitedForData = !read.IsCompleted;
                    result = await read;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return new(StreamEnd.Stopping, delivered);
                }
                catch (OperationCanceledException)
                {
                    return new(errorSeen ? StreamEnd.ErrorMessage : StreamEnd.Stalled, delivered);
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException)
                {
                    return new(errorSeen ? StreamEnd.ErrorMessage : StreamEnd.Closed, delivered);
                }

                // Only the server's silence counts: while a full buffer holds reading back, the watchdog is off (dropping
                // the connection then would lose every post the server has already sent).
                watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                var buffer = result.Buffer;
                var readAt = time.GetUtcNow();
                // Posts found waiting after a coalescing pause may have arrived at its start: their latency counts from
                // there, so the pause is inside the receive→stored figure rather than hidden before it.
                var arrivedBy = pausedSince is { } pauseStart && !waitedForData ? pauseStart : (long?)null;
                pausedSince = null;
                var onlyKeepAlives = true;
                var received = new ReceivedLines(connection);
                try
                {
                    while (TryTakeLine(ref buffer, out var line))
                    {
                        var outcome = Classify(line);
                        received.Count(outcome);
                        onlyKeepAlives &= outcome.Kind == StreamLineKind.KeepAlive;
                        if (outcome.Kind == StreamLineKind.StreamError)
                        {
                            errorSeen = true;
                            continue;
                        }

                        delivered |= outcome.Kind == StreamLineKind.Post;
                        if (outcome.Post is { } post)
                        {
                            post.ReceivedTimestamp = arrivedBy ?? post.ReceivedTimestamp;
                            post.ReceivedIn = received.Activity;
                            watermark?.Kept(post);
                            recovery?.Observe(post);
                            await processor.KeepAsync(post);
                        }
                    }
                }
                finally
                {
                    received.End();
                }

                // Only keep-alives and nothing left over: X was idle and everything it sent before is in hand.
                var quiet = onlyKeepAlives && buffer.Length == 0 && result.Buffer.Length > 0;
                watermark?.Read(quiet, readAt);
                if (quiet)
                {
                    recovery?.Close();
                }

                if (buffer.Length > MaxLineBytes)
                {
                    // No newline in megabytes: not the stream protocol; start over on a fresh connection.
                    return new(StreamEnd.ErrorMessage, delivered);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return new(errorSeen ? StreamEnd.ErrorMessage : StreamEnd.Closed, delivered);
                }

                // A read that had to wait for data means the stream is caught up (a quiet stream): wait a moment so the
                // next read takes the posts that arrive meanwhile together. A read that data was already waiting for is a
                // backlog, read on at once, so a busy stream is never slowed.
                if (waitedForData && options.ReadCoalesce > TimeSpan.Zero && !errorSeen)
                {
                    pausedSince = time.GetTimestamp();
                    try
                    {
                        await Task.Delay(options.ReadCoalesce, time, stopping);
                    }
                    catch (OperationCanceledException)
                    {
                        return new(StreamEnd.Stopping, delivered);
                    }
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private StreamLine Classify(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return processor.Classify(line.FirstSpan);
        }

        var length = (int)line.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            return processor.Classify(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }
}
