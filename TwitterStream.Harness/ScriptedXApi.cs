using Microsoft.AspNetCore.Http;

namespace TwitterStream.Harness;

/// <summary>
/// The X API v2 endpoints the worker uses (<see cref="XApiStandIn"/>), with a filtered stream that sends exactly the
/// given lines, byte for byte (which the simulator, writing posts it generates, cannot do for hostile input), then
/// keep-alives. A reconnect continues after the last line sent.
/// </summary>
public sealed class ScriptedXApi : IAsyncDisposable
{
    public const string BearerToken = XApiStandIn.BearerToken;
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly IReadOnlyList<byte[]> _lines;
    private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private XApiStandIn? _api;
    private int _nextLine;
    private int _connections;

    private ScriptedXApi(IReadOnlyList<byte[]> lines) => _lines = lines;

    public Uri BaseUrl => _api?.BaseUrl ?? throw new InvalidOperationException("The scripted API is not started.");

    public int LinesSent => Volatile.Read(ref _nextLine);

    /// <summary>Stream connection attempts, answered or refused.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>When set, every stream connection is refused with this status and X's problem body (e.g. 403).</summary>
    public int? StreamRefusalStatus { get; set; }

    /// <summary>Completes once every scripted line has been written to a stream connection.</summary>
    public Task AllSent => _allSent.Task;

    public static async Task<ScriptedXApi> StartAsync(IReadOnlyList<byte[]> lines, CancellationToken cancellationToken = default)
    {
        var api = new ScriptedXApi(lines);
        if (lines.Count == 0)
        {
            api._allSent.TrySetResult();
        }

        api._api = await XApiStandIn.StartAsync(api.StreamAsync, cancellationToken);
        return api;
    }

    private async Task StreamAsync(HttpContext context)
    {
        Interlocked.Increment(ref _connections);
        if (StreamRefusalStatus is { } status)
        {
            await XApiStandIn.WriteJsonAsync(context, status, XApiStandIn.Problem(
                status,
                status == 403 ? "Client Forbidden" : "Refused",
                "The scripted API refuses this stream connection.",
                status == 403 ? "https://api.x.com/2/problems/client-forbidden" : "about:blank"));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = context.Response.Body;
        var token = context.RequestAborted;
        try
        {
            await body.FlushAsync(token);
            var sinceFlush = 0;
            int index;
            while ((index = Volatile.Read(ref _nextLine)) < _lines.Count)
            {
                await body.WriteAsync(_lines[index], token);
                await body.WriteAsync(LineEnd, token);
                if (++sinceFlush == 64 || index == _lines.Count - 1)
                {
                    await body.FlushAsync(token);
                    sinceFlush = 0;
                }

                Volatile.Write(ref _nextLine, index + 1);
            }

            await body.FlushAsync(token);
            _allSent.TrySetResult();

            // Like X when idle: a keep-alive now and then until the client goes away.
            using var keepAlive = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await keepAlive.WaitForNextTickAsync(token))
            {
                await body.WriteAsync(LineEnd, token);
                await body.FlushAsync(token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client disconnected.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
