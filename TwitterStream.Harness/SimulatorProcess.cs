using System.Globalization;
using System.Net.Http.Json;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>The X API simulator run as its own process on a loopback port.</summary>
public sealed class SimulatorProcess : HttpAppProcess
{
    private SimulatorProcess(ManagedProcess process, Uri baseUrl)
        : base(process, baseUrl, TimeSpan.FromSeconds(30))
    {
    }

    /// <param name="settings">Keys of the <c>Simulator</c> section, e.g. <c>PostsPerSecond</c> or <c>Faults:CloseEveryPosts</c>.</param>
    public static async Task<SimulatorProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default, LaunchOptions? launch = null, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var port = LocalPorts.Free();
        var environment = settings.ToDictionary(
            kv => "Simulator__" + kv.Key.Replace(":", "__", StringComparison.Ordinal),
            kv => (string?)kv.Value);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var baseUrl = LoopbackUrl(port);
        var process = DotnetApp.Start("TwitterStream.Simulator", ["--urls", baseUrl.ToString().TrimEnd('/')], environment, launch: launch);
        return await WhenReadyAsync(new SimulatorProcess(process, baseUrl), "/health", cancellationToken);
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(CancellationToken cancellationToken = default) =>
        LedgerEntry.ParseNdjson(await Http.GetStringAsync(LedgerEntry.Path, cancellationToken));

    /// <summary>The simulator's counters (<c>GET /_sim/stats</c>).</summary>
    public async Task<SimulatorStats> GetCountersAsync(CancellationToken cancellationToken = default) =>
        await Http.GetFromJsonAsync<SimulatorStats>(SimulatorStats.Path, cancellationToken)
        ?? throw new InvalidOperationException("The simulator answered its stats with null.");

    /// <summary>Switches faults on or off while it runs (the JSON shape of the <c>Simulator:Faults</c> section).</summary>
    public async Task SetFaultsAsync(object faults, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsJsonAsync("/_sim/faults", faults, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>From now on the simulator's compliance jobs report these post ids with these reasons (deleted, protected, …).</summary>
    public async Task MarkForComplianceAsync(IReadOnlyDictionary<string, string> reasons, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsJsonAsync(XCompliance.SimulatorControls.MarksPath, reasons, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The next <paramref name="jobs"/> compliance jobs created fail once processed.</summary>
    public async Task FailComplianceJobsAsync(int jobs, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsync($"{XCompliance.SimulatorControls.FailPath}?jobs={jobs}", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
