using System.Globalization;
using System.Net.Http.Json;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>The worker run as its own process, as a container runs it: all settings in its environment.</summary>
public sealed class WorkerProcess : HttpAppProcess
{
    public const string AssemblyName = "TwitterStream.Worker";

    private WorkerProcess(ManagedProcess process, Uri baseUrl)
        : base(process, baseUrl, TimeSpan.FromSeconds(10))
    {
    }

    /// <summary>Starts the worker and waits until it answers on <c>/alive</c> (it may still be connecting to the stream).</summary>
    /// <param name="inheritEnvironment">False: the worker sees only <paramref name="environment"/>, nothing from the test runner.</param>
    public static async Task<WorkerProcess> StartAsync(
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken = default,
        LaunchOptions? launch = null,
        bool inheritEnvironment = true)
    {
        var port = LocalPorts.Free();
        var env = new Dictionary<string, string?>(environment)
        {
            ["HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = null,
        };
        var process = DotnetApp.Start(AssemblyName, [], env, inheritEnvironment, launch);
        return await WhenReadyAsync(new WorkerProcess(process, LoopbackUrl(port)), "/alive", cancellationToken);
    }

    /// <summary>
    /// Runs the worker with only <paramref name="environment"/> (nothing leaks in from the test runner) until it exits,
    /// e.g. to see it refuse bad settings or to run its <c>--health-check</c>.
    /// </summary>
    public static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args) =>
        RunAsync(environment, timeout, launch: null, args);

    /// <inheritdoc cref="RunAsync(IReadOnlyDictionary{string, string?}, TimeSpan, string[])"/>
    /// <param name="launch">How to start it, e.g. the native executable of a <see cref="NativeAotPublish"/>.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, LaunchOptions? launch, params string[] args)
    {
        await using var process = DotnetApp.Start(AssemblyName, args, environment, inheritEnvironment: false, launch);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.RecentOutput);
    }

    /// <summary>The worker's live counters and latency histogram (<c>GET /stats</c>).</summary>
    public async Task<WorkerStats> GetCountersAsync(CancellationToken cancellationToken = default) =>
        await Http.GetFromJsonAsync(WorkerStats.Path, ContractsJson.Default.WorkerStats, cancellationToken)
        ?? throw new InvalidOperationException("The worker answered its stats with null.");

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("/health", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
