using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace TwitterStream.Harness;

/// <summary>What one stream connection answers: a status (with a problem of <paramref name="ProblemType"/>), some lines, then either close or go silent.</summary>
public sealed record StreamScript(int Status = 200, IReadOnlyList<string>? Lines = null, bool CloseAfterLines = false, string ProblemType = "about:blank");

/// <summary>
/// The X API v2 endpoints the worker uses (<see cref="XApiStandIn"/>: token exchange, bearer check, rule store) with a
/// filtered stream that sends exactly what it is given, byte for byte (which the simulator, writing posts it generates,
/// cannot do for hostile input). Each connection takes the next queued <see cref="StreamScript"/>; with none queued it
/// continues the feed given at start (a reconnect resumes after the last line sent) and then sends X's keep-alives;
/// with no feed either it stays silent, so the client's stall detection is what ends it.
/// </summary>
public sealed class ScriptedXApi : IAsyncDisposable
{
    public const string BearerToken = XApiStandIn.BearerToken;
    public const string ConsumerKey = XApiStandIn.ConsumerKey;
    public const string ConsumerSecret = XApiStandIn.ConsumerSecret;

    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly IReadOnlyList<byte[]> _feed;
    private readonly ConcurrentQueue<StreamScript> _scripts = new();
    private readonly Channel<int> _connectionOpened = Channel.CreateUnbounded<int>();
    private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private XApiStandIn? _api;
    private int _nextFeedLine;
    private int _connections;

    private ScriptedXApi(IReadOnlyList<byte[]> feed) => _feed = feed;

    public Uri BaseUrl => Api.BaseUrl;

    /// <summary>Feed lines written to stream connections so far.</summary>
    public int LinesSent => Volatile.Read(ref _nextFeedLine);

    /// <summary>Stream connection attempts, answered or refused.</summary>
    public int StreamConnections => Volatile.Read(ref _connections);

    /// <summary>The query string of every stream connection attempt, in order (what fields the worker asked for).</summary>
    public ConcurrentQueue<string> StreamQueries { get; } = new();

    /// <summary>When set, every stream connection is refused with this status and X's problem body (e.g. 403).</summary>
    public int? StreamRefusalStatus { get; set; }

    /// <summary>Completes once every feed line has been written to a stream connection.</summary>
    public Task AllSent => _allSent.Task;

    /// <summary>When set, POST rules with "add" answers X's rejection with this title.</summary>
    public string? RejectAddsWith
    {
        get => Api.RejectAddsWith;
        set => Api.RejectAddsWith = value;
    }

    public ConcurrentQueue<string> TokenRequests => Api.TokenRequests;

    public ConcurrentQueue<string> RuleChanges => Api.RuleChanges;

    public IReadOnlyList<(string Value, string? Tag)> Rules => Api.Rules;

    /// <inheritdoc cref="XApiStandIn.Usage"/>
    public Func<System.Text.Json.Nodes.JsonObject>? Usage
    {
        get => Api.Usage;
        set => Api.Usage = value;
    }

    public int UsageRequests => Api.UsageRequests;

    private XApiStandIn Api => _api ?? throw new InvalidOperationException("The scripted API is not started.");

    /// <param name="feed">Lines (without their line end) sent across connections once no script is queued.</param>
    public static async Task<ScriptedXApi> StartAsync(IReadOnlyList<byte[]>? feed = null, CancellationToken cancellationToken = default)
    {
        var api = new ScriptedXApi(feed ?? []);
        if (api._feed.Count == 0)
        {
            api._allSent.TrySetResult();
        }

        api._api = await XApiStandIn.StartAsync(api.StreamAsync, cancellationToken);
        return api;
    }

    /// <summary>Queues what the next stream connection answers.</summary>
    public void EnqueueStream(StreamScript script) => _scripts.Enqueue(script);

    public void AddRule(string value, string tag) => Api.AddRule(value, tag);

    /// <summary>Waits until the stream endpoint has been opened at least <paramref name="count"/> times.</summary>
    public async Task WaitForStreamConnectionsAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (StreamConnections < count)
        {
            await _connectionOpened.Reader.ReadAsync(cancel.Token);
        }
    }

    private async Task StreamAsync(HttpContext context)
    {
        StreamQueries.Enqueue(context.Request.QueryString.Value ?? "");
        _connectionOpened.Writer.TryWrite(Interlocked.Increment(ref _connections));
        if (StreamRefusalStatus is { } refusal)
        {
            await RefuseAsync(context, refusal);
            return;
        }

        var script = _scripts.TryDequeue(out var next) ? next : null;
        if (script is { Status: not 200 })
        {
            if (script.Status == 409)
            {
                Api.ClearRules(); // what a 409 means: the stream has no rules
            }

            await RefuseAsync(context, script.Status, script.ProblemType);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = context.Response.Body;
        var token = context.RequestAborted;
        try
        {
            await body.FlushAsync(token);
            if (script is not null)
            {
                await SendScriptAsync(script, body, token);
            }
            else if (_feed.Count > 0)
            {
                await SendFeedAsync(body, token);
            }
            else
            {
                // Silence: no keep-alives, so the client's stall detection is what ends this connection.
                await Task.Delay(Timeout.Infinite, token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client disconnected.
        }
    }

    private static async Task SendScriptAsync(StreamScript script, Stream body, CancellationToken token)
    {
        foreach (var line in script.Lines ?? [])
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(line), token);
            await body.WriteAsync(LineEnd, token);
            await body.FlushAsync(token);
        }

        if (!script.CloseAfterLines)
        {
            await Task.Delay(Timeout.Infinite, token);
        }
    }

    private async Task SendFeedAsync(Stream body, CancellationToken token)
    {
        var sinceFlush = 0;
        int index;
        while ((index = Volatile.Read(ref _nextFeedLine)) < _feed.Count)
        {
            await body.WriteAsync(_feed[index], token);
            await body.WriteAsync(LineEnd, token);
            if (++sinceFlush == 64 || index == _feed.Count - 1)
            {
                await body.FlushAsync(token);
                sinceFlush = 0;
            }

            Volatile.Write(ref _nextFeedLine, index + 1);
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

    private static Task RefuseAsync(HttpContext context, int status, string problemType = "about:blank") =>
        XApiStandIn.WriteJsonAsync(context, status, status == 403
            ? XApiStandIn.Problem(status, "Client Forbidden", "The scripted API refuses this stream connection.", "https://api.x.com/2/problems/client-forbidden")
            : XApiStandIn.Problem(status, "Scripted", $"scripted status {status}", problemType));

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
