using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace TwitterStream.Harness;

/// <summary>The worker run as its own process, as a container runs it: all settings in its environment.</summary>
public sealed class WorkerProcess : HttpAppProcess
{
    private WorkerProcess(ManagedProcess process, Uri baseUrl)
        : base(process, baseUrl, TimeSpan.FromSeconds(10))
    {
    }

    /// <summary>Starts the worker and waits until it answers on <c>/alive</c> (it may still be connecting to the stream).</summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default, LaunchOptions? launch = null)
    {
        var port = LocalPorts.Free();
        var env = new Dictionary<string, string?>(environment)
        {
            ["HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = null,
        };
        var process = DotnetApp.Start("TwitterStream.Worker", [], env, launch: launch);
        return await WhenReadyAsync(new WorkerProcess(process, LoopbackUrl(port)), "/alive", cancellationToken);
    }

    /// <summary>The worker's live counters (<c>GET /stats</c>).</summary>
    public async Task<JsonElement> GetStatsAsync(CancellationToken cancellationToken = default) =>
        await Http.GetFromJsonAsync<JsonElement>("/stats", cancellationToken);

    public async Task<WorkerCounters> GetCountersAsync(CancellationToken cancellationToken = default) =>
        WorkerCounters.From(await GetStatsAsync(cancellationToken));

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("/health", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
