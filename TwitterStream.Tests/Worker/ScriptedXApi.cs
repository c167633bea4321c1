using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TwitterStream.Tests.Worker;

/// <summary>What one stream connection answers: a status, some lines, then either close or go silent.</summary>
public sealed record StreamScript(int Status = 200, IReadOnlyList<string>? Lines = null, bool CloseAfterLines = false);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) speaking the X API v2 protocol with scripted answers: token
/// exchange, the rule store, and one scripted response per stream connection.
/// </summary>
public sealed class ScriptedXApi : IAsyncDisposable
{
    public const string BearerToken = "scripted-bearer-token";
    public const string ConsumerKey = "scripted key";
    public const string ConsumerSecret = "scripted/secret";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StreamScript> _scripts = new();
    private readonly Channel<int> _connections = Channel.CreateUnbounded<int>();
    private readonly Lock _rulesLock = new();
    private readonly List<JsonObject> _rules = [];
    private int _connectionCount;
    private long _nextRuleId = 1_000_000_000_000_000_000;

    private ScriptedXApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, POST rules with "add" answers X's rejection with this title.</summary>
    public string? RejectAddsWith { get; set; }

    public int StreamConnections => Volatile.Read(ref _connectionCount);

    public ConcurrentQueue<string> TokenRequests { get; } = new();

    public ConcurrentQueue<string> RuleChanges { get; } = new();

    public static async Task<ScriptedXApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new ScriptedXApi(app);
        api.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseUrl = new Uri(address);
        return api;
    }

    public void EnqueueStream(StreamScript script) => _scripts.Enqueue(script);

    public void AddRule(string value, string tag)
    {
        lock (_rulesLock)
        {
            _rules.Add(new JsonObject { ["id"] = (_nextRuleId++).ToString(), ["value"] = value, ["tag"] = tag });
        }
    }

    public IReadOnlyList<(string Value, string Tag)> Rules
    {
        get
        {
            lock (_rulesLock)
            {
                return [.. _rules.Select(rule => ((string)rule["value"]!, (string)rule["tag"]!))];
            }
        }
    }

    public void ClearRules()
    {
        lock (_rulesLock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Waits until the stream endpoint has been opened at least <paramref name="count"/> times.</summary>
    public async Task WaitForStreamConnectionsAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (StreamConnections < count)
        {
            await _connections.Reader.ReadAsync(cancel.Token);
        }
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/oauth2/token", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            TokenRequests.Enqueue($"{context.Request.Headers.Authorization}|{context.Request.ContentType}|{body}");
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{Uri.EscapeDataString(ConsumerKey)}:{Uri.EscapeDataString(ConsumerSecret)}"));
            if (context.Request.Headers.Authorization != expected || body != "grant_type=client_credentials")
            {
                return Results.Json(new { errors = new[] { new { code = 99, message = "Unable to verify your credentials" } } }, statusCode: 403);
            }

            return Results.Json(new { token_type = "bearer", access_token = BearerToken });
        });

        app.MapGet("/2/tweets/search/stream/rules", (HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            lock (_rulesLock)
            {
                var data = new JsonArray([.. _rules.Select(rule => (JsonNode)rule.DeepClone())]);
                return Results.Text(new JsonObject { ["data"] = data, ["meta"] = new JsonObject { ["result_count"] = _rules.Count } }.ToJsonString(), "application/json");
            }
        });

        app.MapPost("/2/tweets/search/stream/rules", async (HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
            RuleChanges.Enqueue(body.ToJsonString());
            lock (_rulesLock)
            {
                if (body["add"] is JsonArray add)
                {
                    if (RejectAddsWith is { } title)
                    {
                        return Results.Json(new
                        {
                            meta = new { summary = new { created = 0, not_created = 0, valid = 0, invalid = 1 } },
                            errors = new[] { new { value = (string?)add[0]!["value"], details = new[] { "Reference to invalid field 'foo'" }, title } },
                        });
                    }

                    foreach (var rule in add)
                    {
                        _rules.Add(new JsonObject { ["id"] = (_nextRuleId++).ToString(), ["value"] = (string?)rule!["value"], ["tag"] = (string?)rule["tag"] });
                    }
                }

                if (body["delete"]?["ids"] is JsonArray ids)
                {
                    var doomed = ids.Select(id => (string?)id).ToHashSet();
                    _rules.RemoveAll(rule => doomed.Contains((string?)rule["id"]));
                }
            }

            return Results.Json(new { meta = new { sent = DateTime.UtcNow } });
        });

        app.MapGet("/2/tweets/search/stream", async (HttpContext context) =>
        {
            if (!Authorized(context))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { title = "Unauthorized", detail = "Unauthorized" });
                return;
            }

            var number = Interlocked.Increment(ref _connectionCount);
            _connections.Writer.TryWrite(number);
            var script = _scripts.TryDequeue(out var next) ? next : new StreamScript();
            if (script.Status == 409)
            {
                ClearRules(); // what a 409 means: the stream has no rules
            }

            context.Response.StatusCode = script.Status;
            if (script.Status != 200)
            {
                await context.Response.WriteAsJsonAsync(new { title = "Scripted", detail = $"scripted status {script.Status}" });
                return;
            }

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
        });
    }

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization == $"Bearer {BearerToken}";

    private static IResult Unauthorized() => Results.Json(new { title = "Unauthorized", type = "about:blank", status = 401, detail = "Unauthorized" }, statusCode: 401);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
