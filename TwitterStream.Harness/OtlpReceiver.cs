using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace TwitterStream.Harness;

/// <summary>
/// A minimal OTLP/HTTP collector: keeps the raw body of every export (logs, traces, metrics) so a test can search what
/// a process sent. Strings travel as UTF-8 bytes inside OTLP protobuf, so a byte search finds any value exported.
/// Point a process at it with <see cref="ExporterEnvironment"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<OtlpExport> _exports = new();
    private LoopbackServer? _server;

    private OtlpReceiver()
    {
    }

    public Uri BaseUrl => _server?.BaseUrl ?? throw new InvalidOperationException("The receiver is not started.");

    public IReadOnlyList<OtlpExport> Exports => [.. _exports];

    /// <summary>Raised after each export arrives.</summary>
    public event Action<OtlpExport>? Received;

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LoopbackServer.StartAsync(receiver.HandleAsync, cancellationToken);
        return receiver;
    }

    /// <summary>The OpenTelemetry SDK's standard variables for exporting everything here over OTLP/HTTP, quickly.</summary>
    public IReadOnlyDictionary<string, string?> ExporterEnvironment => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = BaseUrl.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var body = context.Request.Headers.ContentEncoding == "gzip"
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await body.CopyToAsync(buffer, context.RequestAborted);
        var export = new OtlpExport(context.Request.Path.Value ?? "", buffer.ToArray());
        _exports.Enqueue(export);
        Received?.Invoke(export);

        // An empty protobuf message is a valid Export*ServiceResponse.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <param name="Path">The signal's path: <c>/v1/logs</c>, <c>/v1/traces</c> or <c>/v1/metrics</c>.</param>
/// <param name="Body">The protobuf body as sent.</param>
public sealed record OtlpExport(string Path, byte[] Body);
