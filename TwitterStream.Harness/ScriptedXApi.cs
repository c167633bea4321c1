using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TwitterStream.Harness;

/// <summary>
/// The X API v2 endpoints the worker uses, answering with a fixed script: the token exchange, the rules endpoints, and
/// a filtered stream that sends exactly the given lines, byte for byte (which the simulator, writing posts it
/// generates, cannot do for hostile input), then keep-alives. A reconnect continues after the last line sent.
/// </summary>
public sealed class ScriptedXApi : IAsyncDisposable
{
    public const string BearerToken = "scripted-bearer-token";
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly IReadOnlyList<byte[]> _lines;
    private readonly List<(string Id, string Value, string Tag)> _rules = [];
    private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer? _server;
    private int _nextLine;
    private int _connections;

    private ScriptedXApi(IReadOnlyList<byte[]> lines) => _lines = lines;

    public Uri BaseUrl => _server?.BaseUrl ?? throw new InvalidOperationException("The scripted API is not started.");

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

        api._server = await LoopbackServer.StartAsync(api.HandleAsync, cancellationToken);
        return api;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/oauth2/token" && HttpMethods.IsPost(context.Request.Method))
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["token_type"] = "bearer", ["access_token"] = BearerToken });
            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {BearerToken}")
        {
            await WriteJsonAsync(context, 401, new JsonObject { ["title"] = "Unauthorized", ["type"] = "about:blank", ["status"] = 401, ["detail"] = "Unauthorized" });
            return;
        }

        switch (path)
        {
            case "/2/tweets/search/stream/rules" when HttpMethods.IsGet(context.Request.Method):
                await WriteJsonAsync(context, 200, RulesJson());
                return;
            case "/2/tweets/search/stream/rules" when HttpMethods.IsPost(context.Request.Method):
                await ChangeRulesAsync(context);
                return;
            case "/2/tweets/search/stream" when HttpMethods.IsGet(context.Request.Method):
                await StreamAsync(context);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private JsonObject RulesJson()
    {
        lock (_rules)
        {
            var data = new JsonArray([.. _rules.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["value"] = r.Value, ["tag"] = r.Tag })]);
            var meta = new JsonObject { ["sent"] = DateTimeOffset.UtcNow.ToString("O"), ["result_count"] = _rules.Count };
            return _rules.Count == 0 ? new JsonObject { ["meta"] = meta } : new JsonObject { ["data"] = data, ["meta"] = meta };
        }
    }

    private async Task ChangeRulesAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var created = new JsonArray();
        var deleted = 0;
        lock (_rules)
        {
            foreach (var add in request?["add"]?.AsArray() ?? [])
            {
                var rule = ((_rules.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string)add!["value"]!, (string?)add["tag"] ?? "");
                _rules.Add(rule);
                created.Add(new JsonObject { ["id"] = rule.Item1, ["value"] = rule.Item2, ["tag"] = rule.Item3 });
            }

            foreach (var id in request?["delete"]?["ids"]?.AsArray() ?? [])
            {
                deleted += _rules.RemoveAll(r => r.Id == (string?)id);
            }
        }

        var summary = new JsonObject { ["created"] = created.Count, ["not_created"] = 0, ["valid"] = created.Count, ["invalid"] = 0, ["deleted"] = deleted, ["not_deleted"] = 0 };
        var response = new JsonObject { ["meta"] = new JsonObject { ["sent"] = DateTimeOffset.UtcNow.ToString("O"), ["summary"] = summary } };
        if (created.Count > 0)
        {
            response["data"] = created;
        }

        await WriteJsonAsync(context, 201, response);
    }

    private async Task StreamAsync(HttpContext context)
    {
        Interlocked.Increment(ref _connections);
        if (StreamRefusalStatus is { } status)
        {
            await WriteJsonAsync(context, status, new JsonObject
            {
                ["title"] = status == 403 ? "Client Forbidden" : "Refused",
                ["type"] = status == 403 ? "https://api.x.com/2/problems/client-forbidden" : "about:blank",
                ["status"] = status,
                ["detail"] = "The scripted API refuses this stream connection.",
            });
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

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
