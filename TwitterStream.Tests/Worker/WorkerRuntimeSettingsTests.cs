using System.Text.Json;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// The runtime settings that keep the worker inside a 0.25 vCPU task (measured with the load test: together they halve
/// its CPU at 250 posts/s) must reach the runtimeconfig the worker starts with.
/// </summary>
public sealed class WorkerRuntimeSettingsTests
{
    [Theory]
    [InlineData("System.GC.Server", "false")]
    [InlineData("System.Runtime.TieredPGO", "false")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    public void The_worker_starts_with_the_low_cpu_runtime_settings(string setting, string expected)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TwitterStream.Worker.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(setting, out var value), $"{setting} is missing from {path}");
        Assert.Equal(expected, value.ToString().ToLowerInvariant());
    }
}
