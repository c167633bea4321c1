using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>
/// What every scripted X API v2 stand-in shares, on a <see cref="LoopbackServer"/>: the token exchange (which accepts
/// only <see cref="ConsumerKey"/>/<see cref="ConsumerSecret"/>), the bearer check, and the rule store behind the rules
/// endpoints. The filtered stream itself is the caller's script.
/// </summary>
public sealed class XApiStandIn : IAsyncDisposable
{
    public const string BearerToken = "scripted-bearer-token";
    public const string ConsumerKey = "scripted key";
    public const string ConsumerSecret = "scripted/secret";

    private static readonly string ExpectedBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(
        $"{Uri.EscapeDataString(ConsumerKey)}:{Uri.EscapeDataString(ConsumerSecret)}"));

    private readonly RequestDelegate _stream;
    private readonly Lock _rulesLock = new();
    private readonly List<(string Id, string Value, string? Tag)> _rules = [];
    private long _nextRuleId = 1_000_000_000_000_000_000;
    private LoopbackServer? _server;
    private int _usageRequests;

    private XApiStandIn(RequestDelegate stream) => _stream = stream;

    public Uri BaseUrl => _server?.BaseUrl ?? throw new InvalidOperationException("The X API stand-in is not started.");

    /// <summary>When set, POST rules with "add" answers X's rejection with this title.</summary>
    public string? RejectAddsWith { get; set; }

    /// <summary>Every token exchange as "authorization|content type|body".</summary>
    public ConcurrentQueue<string> TokenRequests { get; } = new();

    /// <summary>What <c>GET /2/usage/tweets</c> answers; null answers 404 (an app without usage access).</summary>
    public Func<JsonObject>? Usage { get; set; }

    public int UsageRequests => Volatile.Read(ref _usageRequests);

    /// <summary>Every POST rules body, as sent.</summary>
    public ConcurrentQueue<string> RuleChanges { get; } = new();

    public IReadOnlyList<(string Value, string? Tag)> Rules
    {
        get
        {
            lock (_rulesLock)
            {
                return [.. _rules.Select(rule => (rule.Value, rule.Tag))];
            }
        }
    }

    /// <param name="stream">Answers authorised GETs of the filtered stream.</param>
    public static async Task<XApiStandIn> StartAsync(RequestDelegate stream, CancellationToken cancellationToken = default)
    {
        var api = new XApiStandIn(stream);
        api._server = await LoopbackServer.StartAsync(api.HandleAsync, cancellationToken);
        return api;
    }

    public void AddRule(string value, string? tag)
    {
        lock (_rulesLock)
        {
            _rules.Add(NewRule(value, tag));
        }
    }

    public void ClearRules()
    {
        lock (_rulesLock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Writes <paramref name="json"/> as the whole response.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, JsonObject json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>X's problem body for a refused request.</summary>
    public static JsonObject Problem(int status, string title, string detail, string type = "about:blank") =>
        new() { ["title"] = title, ["type"] = type, ["status"] = status, ["detail"] = detail };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        if (path == XApiPaths.Token && HttpMethods.IsPost(method))
        {
            await ExchangeTokenAsync(context);
            return;
        }

        if (context.Request.Headers.Authorization != $"Bearer {BearerToken}")
        {
            await WriteJsonAsync(context, 401, Problem(401, "Unauthorized", "Unauthorized"));
            return;
        }

        switch (path)
        {
            case XApiPaths.Rules when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, 200, RulesJson());
                return;
            case XApiPaths.Rules when HttpMethods.IsPost(method):
                await ChangeRulesAsync(context);
                return;
            case XApiPaths.Usage when HttpMethods.IsGet(method):
                Interlocked.Increment(ref _usageRequests);
                if (Usage is { } usage)
                {
                    await WriteJsonAsync(context, 200, usage());
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                return;
            case XApiPaths.Stream when HttpMethods.IsGet(method):
                await _stream(context);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private async Task ExchangeTokenAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        TokenRequests.Enqueue($"{context.Request.Headers.Authorization}|{context.Request.ContentType}|{body}");
        if (context.Request.Headers.Authorization != ExpectedBasic || body != "grant_type=client_credentials")
        {
            var error = new JsonObject { ["code"] = 99, ["message"] = "Unable to verify your credentials" };
            await WriteJsonAsync(context, 403, new JsonObject { ["errors"] = new JsonArray(error) });
            return;
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["token_type"] = "bearer", ["access_token"] = BearerToken });
    }

    private JsonObject RulesJson()
    {
        lock (_rulesLock)
        {
            var meta = new JsonObject { ["sent"] = Now(), ["result_count"] = _rules.Count };

            // Like X: no "data" at all when there are no rules.
            return _rules.Count == 0
                ? new JsonObject { ["meta"] = meta }
                : new JsonObject { ["data"] = new JsonArray([.. _rules.Select(RuleJson)]), ["meta"] = meta };
        }
    }

    private async Task ChangeRulesAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        RuleChanges.Enqueue(body);
        var request = JsonNode.Parse(body)?.AsObject();
        if (request?["add"] is JsonArray { Count: > 0 } rejected && RejectAddsWith is { } title)
        {
            var error = new JsonObject
            {
                ["value"] = (string?)rejected[0]!["value"],
                ["details"] = new JsonArray("Reference to invalid field 'foo'"),
                ["title"] = title,
            };
            var summary = new JsonObject { ["created"] = 0, ["not_created"] = 0, ["valid"] = 0, ["invalid"] = 1 };
            await WriteJsonAsync(context, 200, new JsonObject { ["meta"] = new JsonObject { ["summary"] = summary }, ["errors"] = new JsonArray(error) });
            return;
        }

        var created = new JsonArray();
        var deleted = 0;
        lock (_rulesLock)
        {
            foreach (var rule in request?["add"] as JsonArray ?? new JsonArray())
            {
                var added = NewRule((string)rule!["value"]!, (string?)rule["tag"]);
                _rules.Add(added);
                created.Add(RuleJson(added));
            }

            if (request?["delete"]?["ids"] is JsonArray ids)
            {
                var doomed = ids.Select(id => (string?)id).ToHashSet();
                deleted = _rules.RemoveAll(rule => doomed.Contains(rule.Id));
            }
        }

        var counts = new JsonObject { ["created"] = created.Count, ["not_created"] = 0, ["valid"] = created.Count, ["invalid"] = 0, ["deleted"] = deleted, ["not_deleted"] = 0 };
        var response = new JsonObject { ["meta"] = new JsonObject { ["sent"] = Now(), ["summary"] = counts } };
        if (created.Count > 0)
        {
            response["data"] = created;
        }

        await WriteJsonAsync(context, 201, response);
    }

    private (string Id, string Value, string? Tag) NewRule(string value, string? tag) =>
        ((_nextRuleId++).ToString(CultureInfo.InvariantCulture), value, tag);

    private static JsonNode RuleJson((string Id, string Value, string? Tag) rule)
    {
        var json = new JsonObject { ["id"] = rule.Id, ["value"] = rule.Value };
        if (rule.Tag is not null)
        {
            json["tag"] = rule.Tag;
        }

        return json;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
