using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>
/// An HTTP proxy in front of DynamoDB Local that makes <c>BatchWriteItem</c> misbehave the way DynamoDB does under
/// load: whole calls refused with <c>ProvisionedThroughputExceededException</c>, or part of a batch held back and
/// returned as <c>UnprocessedItems</c> (those items are not written). Point a process at it with
/// <c>AWS_ENDPOINT_URL_DYNAMODB</c>. Every other call passes through untouched. The knobs may change while it runs.
/// </summary>
public sealed class FaultyDynamoProxy : IAsyncDisposable
{
    private const string BatchWriteTarget = "DynamoDB_20120810.BatchWriteItem";
    private const string JsonContentType = "application/x-amz-json-1.0";

    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Accept-Encoding",
    };

    private readonly Uri _target;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Random _random;
    private LoopbackServer? _server;
    private long _batchWrites;
    private long _throttled;
    private long _itemsHeldBack;
    private long _itemsForwarded;

    private FaultyDynamoProxy(Uri target, int seed)
    {
        _target = target;
        _random = new Random(seed);
    }

    public Uri BaseUrl => _server?.BaseUrl ?? throw new InvalidOperationException("The proxy is not started.");

    /// <summary>Share (0..1) of BatchWriteItem calls answered with a throttling error.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Share (0..1) of the items of each forwarded BatchWriteItem held back and returned as unprocessed.</summary>
    public double UnprocessedShare { get; set; }

    /// <summary>While true every BatchWriteItem is throttled: writes fail until it is cleared.</summary>
    public bool RefuseWrites { get; set; }

    /// <summary>Added before each BatchWriteItem is answered, to keep items in the writer's hands for a while.</summary>
    public TimeSpan WriteDelay { get; set; }

    public long BatchWrites => Interlocked.Read(ref _batchWrites);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long ItemsHeldBack => Interlocked.Read(ref _itemsHeldBack);

    public long ItemsForwarded => Interlocked.Read(ref _itemsForwarded);

    public static async Task<FaultyDynamoProxy> StartAsync(Uri dynamoDbUrl, int seed = 7, CancellationToken cancellationToken = default)
    {
        var proxy = new FaultyDynamoProxy(dynamoDbUrl, seed);
        proxy._server = await LoopbackServer.StartAsync(proxy.HandleAsync, cancellationToken);
        return proxy;
    }

    /// <summary>The worker environment entries that send its DynamoDB calls through this proxy.</summary>
    public IReadOnlyDictionary<string, string?> WorkerEnvironment => new Dictionary<string, string?>
    {
        [WorkerVariables.DynamoDbEndpoint] = BaseUrl.ToString(),
    };

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var isBatchWrite = context.Request.Headers["X-Amz-Target"] == BatchWriteTarget;
        if (!isBatchWrite)
        {
            await ForwardAsync(context, body, rewrite: null);
            return;
        }

        Interlocked.Increment(ref _batchWrites);
        if (WriteDelay > TimeSpan.Zero)
        {
            await Task.Delay(WriteDelay, context.RequestAborted);
        }

        if (RefuseWrites || Chance(ThrottleRate))
        {
            Interlocked.Increment(ref _throttled);
            await WriteThrottledAsync(context);
            return;
        }

        var share = UnprocessedShare;
        if (share <= 0)
        {
            Interlocked.Add(ref _itemsForwarded, CountItems(JsonNode.Parse(body)));
            await ForwardAsync(context, body, rewrite: null);
            return;
        }

        var request = JsonNode.Parse(body)!.AsObject();
        var held = HoldBack(request["RequestItems"]!.AsObject(), share);
        var remaining = CountItems(request);
        Interlocked.Add(ref _itemsForwarded, remaining);
        if (remaining == 0)
        {
            // DynamoDB rejects an empty batch: answer for it, as if nothing could be processed this time.
            await WriteJsonAsync(context, 200, new JsonObject { ["UnprocessedItems"] = held });
            return;
        }

        await ForwardAsync(context, Encoding.UTF8.GetBytes(request.ToJsonString()), rewrite: response =>
        {
            var unprocessed = response["UnprocessedItems"] as JsonObject ?? [];
            foreach (var (table, items) in held.ToList())
            {
                held.Remove(table);
                if (unprocessed[table] is JsonArray existing)
                {
                    var moved = items!.AsArray().ToList();
                    items.AsArray().Clear();
                    moved.ForEach(existing.Add);
                }
                else
                {
                    unprocessed[table] = items;
                }
            }

            response["UnprocessedItems"] = unprocessed;
        });
    }

    /// <summary>Takes a random share of each table's requests out of the batch.</summary>
    private JsonObject HoldBack(JsonObject requestItems, double share)
    {
        var held = new JsonObject();
        foreach (var (table, node) in requestItems.ToList())
        {
            var requests = node!.AsArray();
            var taken = new JsonArray();
            foreach (var item in requests.ToList())
            {
                if (Chance(share))
                {
                    requests.Remove(item);
                    taken.Add(item);
                }
            }

            if (requests.Count == 0)
            {
                requestItems.Remove(table);
            }

            if (taken.Count > 0)
            {
                held[table] = taken;
                Interlocked.Add(ref _itemsHeldBack, taken.Count);
            }
        }

        return held;
    }

    private static int CountItems(JsonNode? request) =>
        request?["RequestItems"] is JsonObject tables ? tables.Sum(t => t.Value?.AsArray().Count ?? 0) : 0;

    private bool Chance(double share)
    {
        if (share <= 0)
        {
            return false;
        }

        lock (_random)
        {
            return _random.NextDouble() < share;
        }
    }

    private async Task ForwardAsync(HttpContext context, byte[] body, Action<JsonObject>? rewrite)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString))
        {
            Content = new ByteArrayContent(body),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopHeaders.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(forward, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // DynamoDB Local is down: the client sees a gateway error, as from a load balancer in front of a dead host.
            context.Response.StatusCode = 502;
            return;
        }

        using (response)
        {
            var responseBody = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
            var rewritten = rewrite is not null && response.IsSuccessStatusCode;
            if (rewritten)
            {
                var json = JsonNode.Parse(responseBody)!.AsObject();
                rewrite!(json);
                responseBody = Encoding.UTF8.GetBytes(json.ToJsonString());
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                // The CRC32 covers the original body; the SDK checks it only when present.
                if (HopHeaders.Contains(name) || (rewritten && name.Equals("x-amz-crc32", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                context.Response.Headers[name] = values.ToArray();
            }

            context.Response.ContentLength = responseBody.Length;
            await context.Response.Body.WriteAsync(responseBody, context.RequestAborted);
        }
    }

    private static Task WriteThrottledAsync(HttpContext context) => WriteJsonAsync(context, 400, new JsonObject
    {
        ["__type"] = "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        ["message"] = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    });

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("N");
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _http.Dispose();
    }
}
