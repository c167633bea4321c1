using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TwitterStream.Bench.LoadTest.Network;

namespace TwitterStream.Tests.Benchmarks;

public sealed class NetworkDelayProxyTests
{
    [Fact]
    public async Task Requests_pay_the_round_trip_once_and_every_byte_arrives_in_order_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var echo = EchoOneConnectionAsync(server, ct);
        var roundTrip = TimeSpan.FromMilliseconds(150);
        await using var proxy = NetworkDelayProxy.Start(new Uri($"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}"), roundTrip);

        using var client = new TcpClient();
        await client.ConnectAsync(proxy.ServiceUrl.Host, proxy.ServiceUrl.Port, ct);
        var stream = client.GetStream();
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var clock = Stopwatch.StartNew();

        // Sent in two writes, like headers then body, and relayed in several chunks: each chunk is held for the round
        // trip from its own arrival, so the whole costs one round trip, not one per chunk (that would take over a second).
        await stream.WriteAsync(payload.AsMemory(0, 100), ct);
        await stream.WriteAsync(payload.AsMemory(100), ct);
        var echoed = new byte[payload.Length];
        await stream.ReadExactlyAsync(echoed, ct);
        var elapsed = clock.Elapsed;

        Assert.Equal(payload, echoed);
        Assert.True(elapsed >= roundTrip, $"answered after {elapsed.TotalMilliseconds:0} ms, before the {roundTrip.TotalMilliseconds:0} ms round trip");
        Assert.True(elapsed < roundTrip * 4, $"answered after {elapsed.TotalMilliseconds:0} ms: the round trip was paid more than once");
        client.Close();
        await echo.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    private static async Task EchoOneConnectionAsync(TcpListener server, CancellationToken ct)
    {
        using var connection = await server.AcceptTcpClientAsync(ct);
        var stream = connection.GetStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}
