using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Harness;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Tests.Worker;

public sealed class StreamBodyReaderTests
{
    private readonly RecordingTimeProvider _time = new();
    private readonly DateTimeOffset _start;
    private readonly PostBuffer _buffer = new(100);
    private readonly WorkerMetrics _metrics;
    private readonly StreamBodyReader _reader;

    public StreamBodyReaderTests()
    {
        _start = _time.GetUtcNow();
        _metrics = new WorkerMetrics(new PlainMeterFactory(), _buffer, new WorkerHealthState());

        // No pause between reads here (the fake clock would have to be moved for every read), but in the tests below.
        _reader = Reader(new WorkerOptions { StallTimeout = TimeSpan.FromSeconds(20), ReadCoalesce = TimeSpan.Zero });
    }

    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(40);

    private StreamBodyReader Reader(WorkerOptions options) => new(
        new StreamLineProcessor(new StreamLineParser(), new PostMatcher("twitterstream"), _buffer, _metrics,
            UsageTestKit.BudgetWithoutLimit(options, _time), _time, NullLogger<StreamLineProcessor>.Instance),
        options,
        _time);

    [Fact]
    public async Task After_a_read_that_waited_for_data_the_reader_waits_READ_COALESCE_MS_on_the_clock_before_reading_again()
    {
        var reader = Reader(new WorkerOptions { StallTimeout = TimeSpan.FromSeconds(20), ReadCoalesce = Coalesce });
        var pipe = new Pipe();
        var reading = reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(StreamLines.Post("1", "a", "first") + "\r\n"), TestContext.Current.CancellationToken);
        await Eventually.WaitAsync(() => Task.FromResult(_time.DueTimes.Count(due => due == Coalesce)), count => count == 1, TimeSpan.FromSeconds(5), "the pause after the first read");
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(StreamLines.Post("2", "a", "second") + "\r\n" + StreamLines.Post("3", "a", "third") + "\r\n"), TestContext.Current.CancellationToken);
        _time.Advance(Coalesce);
        await Eventually.WaitAsync(() => Task.FromResult(_buffer.Depth), depth => depth == 3, TimeSpan.FromSeconds(5), "the posts sent during the pause");
        // The posts that waited out the pause count their latency from its start, not from the read after it.
        var posts = new List<Post>();
        while (_buffer.Reader.TryRead(out var post))
        {
            posts.Add(post);
        }

        Assert.Equal(["1", "2", "3"], posts.Select(p => p.Id));
        Assert.Equal(Coalesce, _time.GetElapsedTime(posts[1].ReceivedTimestamp, _time.GetTimestamp()));
        Assert.Equal(posts[1].ReceivedTimestamp, posts[2].ReceivedTimestamp);
        Assert.Equal(posts[0].ReceivedTimestamp, posts[1].ReceivedTimestamp);

        await pipe.Writer.CompleteAsync();
        _time.Advance(Coalesce);
        Assert.Equal(StreamEnd.Closed, (await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).End);
    }

    [Fact]
    public async Task A_backlog_is_read_without_pauses()
    {
        var reader = Reader(new WorkerOptions { StallTimeout = TimeSpan.FromSeconds(20), ReadCoalesce = Coalesce });
        var pipe = new Pipe();

        // 60 posts waiting before the first read are a backlog: all are read without the clock moving.
        var backlog = string.Concat(Enumerable.Range(0, 60).Select(i => StreamLines.Post($"{100 + i}", "a", $"post {i} {new string('x', 100)}") + "\r\n"));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(backlog), TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        var reading = reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);

        Assert.Equal(StreamEnd.Closed, (await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).End);
        Assert.Equal(60, _buffer.Depth);
        Assert.DoesNotContain(Coalesce, _time.DueTimes);
    }

    [Fact]
    public async Task Lines_split_across_reads_are_reassembled_and_kept_posts_buffered()
    {
        var pipe = new Pipe();
        var reading = _reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);
        var bytes = Encoding.UTF8.GetBytes(StreamLines.Post("1", "a", "héllo 🐈") + "\r\n\r\n" + StreamLines.Post("2", "b", "other", tags: "x") + "\r\ngarbage\r\n");
        foreach (var chunk in bytes.Chunk(7))
        {
            await pipe.Writer.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }

        await pipe.Writer.CompleteAsync();
        var result = await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(new StreamSessionResult(StreamEnd.Closed, DeliveredPosts: true), result);
        Assert.True(_buffer.Reader.TryRead(out var post));
        Assert.Equal("héllo 🐈", post.Text);
        Assert.False(_buffer.Reader.TryRead(out _));
        var stats = _metrics.Snapshot();
        Assert.Equal((2, 1, 1), (stats.Received, stats.Kept, stats.Rejected));
    }

    [Fact]
    public async Task Twenty_seconds_without_a_byte_plus_the_keep_alive_grace_is_a_stall_and_any_byte_resets_the_clock()
    {
        var pipe = new Pipe();
        var reading = _reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromSeconds(19));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(StreamLines.Post("1", "a", "t") + "\r\n"), TestContext.Current.CancellationToken);
        // The clock is reset as soon as bytes arrive, before their lines are handled: a buffered post proves it.
        Assert.True(await _buffer.Reader.WaitToReadAsync(TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(reading.IsCompleted); // a keep-alive due at 20 s may arrive a little late
        _time.Advance(StreamBodyReader.KeepAliveGrace);

        var result = await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(StreamEnd.Stalled, result.End);
    }

    [Fact]
    public async Task An_error_object_ends_the_session_once_the_server_has_closed_the_stream()
    {
        var pipe = new Pipe();
        var reading = _reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(StreamLines.OperationalDisconnect + "\r\n" + StreamLines.Post("1", "a", "after the error") + "\r\n"), TestContext.Current.CancellationToken);

        // Reconnecting before the server has closed would meet the old connection still open (429 TooManyConnections).
        Assert.True(await _buffer.Reader.WaitToReadAsync(TestContext.Current.CancellationToken));
        Assert.False(reading.IsCompleted);
        await pipe.Writer.CompleteAsync();

        var result = await reading.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(new StreamSessionResult(StreamEnd.ErrorMessage, DeliveredPosts: true), result);
    }

    [Fact]
    public async Task After_an_error_object_a_server_that_does_not_close_is_left_after_a_short_grace()
    {
        var pipe = new Pipe();
        var reading = _reader.ReadAsync(pipe.Reader.AsStream(), TestContext.Current.CancellationToken);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(StreamLines.OperationalDisconnect + "\r\n"), TestContext.Current.CancellationToken);

        // The clock moves in half seconds until the reader gives up: well before the 21 s stall, which would say Stalled.
        await FakeClock.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(500), () => reading.IsCompleted, "the reader to leave the connection");

        var result = await reading;
        Assert.Equal(StreamEnd.ErrorMessage, result.End);
        Assert.False(result.DeliveredPosts);
        Assert.True(_time.GetUtcNow() - _start < TimeSpan.FromSeconds(20), $"left after {_time.GetUtcNow() - _start}");
    }
}

/// <summary>A fake clock that also records the due time of every timer created on it (Task.Delay creates one).</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _dueTimes = new();

    public IReadOnlyCollection<TimeSpan> DueTimes => _dueTimes;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
