using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace TwitterStream.Bench.LoadTest.Network;

/// <summary>
/// A TCP relay on loopback that holds every chunk a client sends for <see cref="RoundTrip"/> before passing it on, so
/// each request pays one network round trip, as calls to DynamoDB in an AWS region do and calls over loopback do not.
/// Answers come back at once. Chunks keep their order and their own due time, so a request sent in several writes
/// still pays the round trip once.
/// </summary>
public sealed class NetworkDelayProxy : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly IPEndPoint _target;
    private readonly Task _accepting;

    private NetworkDelayProxy(IPEndPoint target, TimeSpan roundTrip)
    {
        _target = target;
        RoundTrip = roundTrip;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan RoundTrip { get; }

    public Uri ServiceUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <param name="target">An http:// URL on loopback, such as DynamoDB Local's.</param>
    public static NetworkDelayProxy Start(Uri target, TimeSpan roundTrip) =>
        new(new IPEndPoint(IPAddress.Loopback, target.Port), roundTrip);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                var downstream = client.GetStream();
                var toServer = upstream.GetStream();
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);

                // Either side closing ends the connection, as it would end a real one.
                await Task.WhenAny(
                    ForwardDelayedAsync(downstream, toServer, connection.Token),
                    toServer.CopyToAsync(downstream, connection.Token));
                await connection.CancelAsync();
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client or DynamoDB Local went away: this connection is over.
            }
        }
    }

    private async Task ForwardDelayedAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Buffer, int Length, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = WriteWhenDueAsync(chunks.Reader, to, cancellationToken);
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                chunks.Writer.TryWrite((buffer, read, Stopwatch.GetTimestamp() + (long)(RoundTrip.TotalSeconds * Stopwatch.Frequency)));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
            await writing;
        }
    }

    private static async Task WriteWhenDueAsync(ChannelReader<(byte[] Buffer, int Length, long Due)> chunks, Stream to, CancellationToken cancellationToken)
    {
        await foreach (var (buffer, length, due) in chunks.ReadAllAsync(cancellationToken))
        {
            try
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                await to.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
