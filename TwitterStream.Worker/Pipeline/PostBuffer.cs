using System.Threading.Channels;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// The bounded queue between the stream reader and the DynamoDB writer. When it is full, writing waits, so reading
/// pauses instead of dropping a post.
/// </summary>
internal sealed class PostBuffer
{
    private readonly Channel<Post> _channel;

    public PostBuffer(int capacity)
    {
        _channel = Channel.CreateBounded<Post>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = true,
        });
    }

    public ChannelReader<Post> Reader => _channel.Reader;

    public int Depth => _channel.Reader.Count;

    /// <summary>Waits for room; a post handed over here is never dropped.</summary>
    public ValueTask AddAsync(Post post, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(post, cancellationToken);

    /// <summary>No more posts will come: the writer drains what is left and finishes.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
