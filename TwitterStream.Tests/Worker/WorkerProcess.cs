using TwitterStream.Harness;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// The built worker run as a separate process, as ECS runs it, with only the environment a test gives it: nothing
/// leaks in from the test runner.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private WorkerProcess(ManagedProcess process) => _process = process;

    public string Output => _process.RecentOutput;

    public static WorkerProcess Start(IDictionary<string, string> environment, params string[] args) =>
        new(DotnetApp.Start(
            "TwitterStream.Worker",
            args,
            environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
            inheritEnvironment: false));

    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        await using var worker = Start(environment, args);
        var exitCode = await worker.WaitForExitAsync(timeout);
        return (exitCode, worker.Output);
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public void SendSigterm() => _process.Terminate();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
