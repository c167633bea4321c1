using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Recovery;

/// <summary>
/// How far the stream is handled, in X's time (a post's created_at): read through (every post read up to it is in the
/// worker's hands) and stored through (every post read up to it is in DynamoDB). Batches finish out of order, so
/// "stored" advances only over the contiguous prefix of finished batches, never ahead of a batch still in flight.
/// A read of only keep-alives (X idle, nothing left unread) moves both marks to that moment less a margin, so a quiet
/// stream does not look like a growing gap. The reader counts per post on its own fields and publishes once per read;
/// the writer reports once per batch.
/// </summary>
internal sealed class StoredWatermark
{
    /// <summary>How much earlier than a keep-alive's arrival X may have stamped a post it had not sent yet.</summary>
    public static readonly TimeSpan QuietMargin = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Queue<Batch> _inFlight = new();

    // The reader's own running figures, published under the lock once per read.
    private long _readerKept;
    private string? _readerNewest;

    private long _kept;
    private string? _keptNewest;
    private long _quietKept = -1;
    private DateTimeOffset _quietAt;

    private long _taken;
    private long _stored;
    private string? _storedNewest;
    private DateTimeOffset? _seed;

    /// <summary>The durable checkpoint a new worker starts from: everything up to it was stored by an earlier run.</summary>
    public void Seed(DateTimeOffset storedThrough)
    {
        lock (_lock)
        {
            _seed = Max(_seed, storedThrough);
        }
    }

    /// <summary>The reader's thread, for each post it hands to the buffer.</summary>
    public void Kept(Post post)
    {
        _readerKept++;
        if (_readerNewest is null || string.CompareOrdinal(post.CreatedAt, _readerNewest) > 0)
        {
            _readerNewest = post.CreatedAt;
        }
    }

    /// <summary>The reader's thread, after the lines of one read are handled.</summary>
    /// <param name="quiet">The read held only keep-alives and left nothing unread: X had nothing more to send.</param>
    public void Read(bool quiet, DateTimeOffset at)
    {
        lock (_lock)
        {
            _kept = _readerKept;
            _keptNewest = _readerNewest;
            if (quiet)
            {
                _quietKept = _kept;
                _quietAt = at;
            }
        }
    }

    /// <summary>The writer, as it takes a batch (in buffer order); <see cref="Stored"/> with the result when written.</summary>
    public object Taken(IReadOnlyList<Post> posts)
    {
        var newest = posts[0].CreatedAt;
        foreach (var post in posts)
        {
            if (string.CompareOrdinal(post.CreatedAt, newest) > 0)
            {
                newest = post.CreatedAt;
            }
        }

        lock (_lock)
        {
            _taken += posts.Count;
            var batch = new Batch(_taken, newest);
            _inFlight.Enqueue(batch);
            return batch;
        }
    }

    /// <summary>The batch from <see cref="Taken"/> is in DynamoDB.</summary>
    public void Stored(object taken)
    {
        lock (_lock)
        {
            ((Batch)taken).Done = true;
            while (_inFlight.TryPeek(out var oldest) && oldest.Done)
            {
                _inFlight.Dequeue();
                _stored = oldest.End;
                if (_storedNewest is null || string.CompareOrdinal(oldest.Newest, _storedNewest) > 0)
                {
                    _storedNewest = oldest.Newest;
                }
            }
        }
    }

    /// <summary>Every post read up to this time is stored (null: nothing known yet, no earlier run and nothing stored).</summary>
    public DateTimeOffset? StoredThrough
    {
        get
        {
            lock (_lock)
            {
                var through = Max(_seed, Parse(_storedNewest));
                return _quietKept >= 0 && _quietKept <= _stored ? Max(through, _quietAt - QuietMargin) : through;
            }
        }
    }

    /// <summary>Every post X sent up to this time was read (and will be stored while this process lives).</summary>
    public DateTimeOffset? ReadThrough
    {
        get
        {
            lock (_lock)
            {
                var through = Max(_seed, Parse(_keptNewest));
                return _quietKept >= 0 ? Max(through, _quietAt - QuietMargin) : through;
            }
        }
    }

    private static DateTimeOffset? Parse(string? createdAt) =>
        PostsTableSchema.TryParseTimestamp(createdAt, out var at) ? at : null;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private sealed class Batch(long end, string newest)
    {
        public long End { get; } = end;
        public string Newest { get; } = newest;
        public bool Done { get; set; }
    }
}
