using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Worker;

/// <summary>What one stream connection answers: a status (with a problem of <paramref name="ProblemType"/>), some lines, then either close or go silent.</summary>
public sealed record StreamScript(int Status = 200, IReadOnlyList<string>? Lines = null, bool CloseAfterLines = false, string ProblemType = "about:blank");

/// <summary>
/// The X API v2 endpoints the worker uses (<see cref="XApiStandIn"/>: token exchange, the rule store) with one
/// scripted response per stream connection.
/// </summary>
public sealed class ScriptedXApi : IAsyncDisposable
{
    public const string BearerToken = XApiStandIn.BearerToken;
    public const string ConsumerKey = XApiStandIn.ConsumerKey;
    public const string ConsumerSecret = XApiStandIn.ConsumerSecret;

    private readonly ConcurrentQueue<StreamScript> _scripts = new();
    private readonly Channel<int> _connections = Channel.CreateUnbounded<int>();
    private XApiStandIn _api = null!;
    private int _connectionCount;

    private ScriptedXApi()
    {
    }

    public Uri BaseUrl => _api.BaseUrl;

    /// <summary>When set, POST rules with "add" answers X's rejection with this title.</summary>
    public string? RejectAddsWith
    {
        get => _api.RejectAddsWith;
        set => _api.RejectAddsWith = value;
    }

    public int StreamConnections => Volatile.Read(ref _connectionCount);

    public ConcurrentQueue<string> TokenRequests => _api.TokenRequests;

    public ConcurrentQueue<string> RuleChanges => _api.RuleChanges;

    public IReadOnlyList<(string Value, string? Tag)> Rules => _api.Rules;

    /// <inheritdoc cref="XApiStandIn.Usage"/>
    public Func<System.Text.Json.Nodes.JsonObject>? Usage
    {
        get => _api.Usage;
        set => _api.Usage = value;
    }

    public int UsageRequests => _api.UsageRequests;

    public static async Task<ScriptedXApi> StartAsync()
    {
        var api = new ScriptedXApi();
        api._api = await XApiStandIn.StartAsync(api.StreamAsync);
        return api;
    }

    public void EnqueueStream(StreamScript script) => _scripts.Enqueue(script);

    public void AddRule(string value, string tag) => _api.AddRule(value, tag);

    /// <summary>Waits until the stream endpoint has been opened at least <paramref name="count"/> times.</summary>
    public async Task WaitForStreamConnectionsAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (StreamConnections < count)
        {
            await _connections.Reader.ReadAsync(cancel.Token);
        }
    }

    private async Task StreamAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _connectionCount);
        _connections.Writer.TryWrite(number);
        var script = _scripts.TryDequeue(out var next) ? next : new StreamScript();
        if (script.Status == 409)
        {
            _api.ClearRules(); // what a 409 means: the stream has no rules
        }

        if (script.Status != 200)
        {
            await XApiStandIn.WriteJsonAsync(context, script.Status, XApiStandIn.Problem(script.Status, "Scripted", $"scripted status {script.Status}", script.ProblemType));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            foreach (var line in script.Lines ?? [])
            {
                await context.Response.WriteAsync(line + "\r\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (!script.CloseAfterLines)
            {
                // Silence: no keep-alives, so the client's stall detection is what ends this connection.
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
