using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace TwitterStream.Harness;

/// <summary>The worker run as its own process, as a container runs it: all settings in its environment.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly HttpClient _http;

    private WorkerProcess(ManagedProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public ManagedProcess Process { get; }

    public Uri BaseUrl { get; }

    /// <summary>Starts the worker and waits until it answers on <c>/alive</c> (it may still be connecting to the stream).</summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default, LaunchOptions? launch = null)
    {
        var port = LocalPorts.Free();
        var env = new Dictionary<string, string?>(environment)
        {
            ["HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = null,
        };
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = DotnetApp.Start("TwitterStream.Worker", [], env, launch: launch);
        var worker = new WorkerProcess(process, baseUrl);
        try
        {
            await Readiness.WaitForHttpOkAsync(process, new Uri(baseUrl, "/alive"), TimeSpan.FromSeconds(60), cancellationToken);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>The worker's live counters (<c>GET /stats</c>).</summary>
    public async Task<JsonElement> GetStatsAsync(CancellationToken cancellationToken = default) =>
        await _http.GetFromJsonAsync<JsonElement>("/stats", cancellationToken);

    public async Task<WorkerCounters> GetCountersAsync(CancellationToken cancellationToken = default) =>
        WorkerCounters.From(await GetStatsAsync(cancellationToken));

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync("/health", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}
