using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// The AppHost run as <c>dotnet run</c> runs it (Docker-free mode) with canary credentials: no canary in any
/// resource's logs or in any process's command line on the machine; the processes that hold them hold them in their
/// environment.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class AppHostSecretTests
{
    [Fact]
    public async Task AppHost_run_keeps_the_credentials_in_process_environments_only()
    {
        var canaries = new Canaries();
        var ct = Scenario.Token;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var tableName = $"canary-{Guid.NewGuid():N}";
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            "TwitterStream:AwsEmulator=dynamodb-local",
            $"TwitterStream:DynamoDbPort={LocalPorts.Free()}",
            "TwitterStream:DynamoDbAdmin=false",
            $"TwitterStream:TableName={tableName}",
            "Simulator:TotalPosts=100",
            "Simulator:PostsPerSecond=100",
            $"Parameters:simulator-consumer-key={canaries["consumer-key"]}",
            $"Parameters:simulator-consumer-secret={canaries["consumer-secret"]}",
        ], timeout.Token);
        // The AppHost's own logs and every resource's output (forwarded to ILogger by the testing builder), at Trace.
        var collected = new CollectingLoggerProvider();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(collected));
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);

        // The worker exchanged the canaries for a token and streams: wait until it has stored the simulator's posts.
        using var worker = app.CreateHttpClient("worker", "http");
        await WaitUntilAsync(async () =>
        {
            var stats = System.Text.Json.JsonDocument.Parse(await worker.GetStringAsync("/stats", timeout.Token)).RootElement;
            return stats.GetProperty("stored").GetInt64() >= 100;
        }, timeout.Token);

        var patterns = canaries.Patterns((canaries["consumer-key"], canaries["consumer-secret"]));
        var holders = ProcessesHolding(Encoding.UTF8.GetBytes(canaries["consumer-secret"]));
        var commandLines = AllCommandLines();
        var resourceLogs = collected.ByCategory();

        var leaks = resourceLogs.Concat(commandLines)
            .SelectMany(p => Canaries.Found(patterns, p.Content).Select(label => $"{label} in {p.Place}: …{Canaries.Context(patterns, label, p.Content)}…")).ToList();
        Assert.True(leaks.Count == 0, "canaries leaked: " + string.Join("; ", leaks));
        Assert.True(holders.Count >= 2, $"expected the worker and the simulator to hold the credentials in their environment; found {holders.Count} processes");
        Assert.Contains(resourceLogs, l => l.Place.EndsWith(".worker", StringComparison.Ordinal) && l.Content.Length > 0);
        ReliabilityFigures.Record("secrets:apphost-run", string.Create(CultureInfo.InvariantCulture,
            $"canaries {canaries.Values.Count} in {patterns.Count} forms searched in {resourceLogs.Count} log categories of the AppHost and its resources ({resourceLogs.Sum(l => l.Content.Count(b => b == (byte)'\n'))} lines) and {commandLines.Count} process command lines: found {leaks.Count}; held in the environment of {holders.Count} processes"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!await condition())
        {
            await poll.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>The ids of processes whose environment holds <paramref name="value"/>.</summary>
    private static List<int> ProcessesHolding(byte[] value) =>
        [.. ReadEveryProcess("environ").Where(p => p.Content.AsSpan().IndexOf(value) >= 0).Select(p => p.Pid)];

    private static List<(string Place, byte[] Content)> AllCommandLines() =>
        [.. ReadEveryProcess("cmdline").Select(p => ($"command line of pid {p.Pid}", p.Content))];

    private static IEnumerable<(int Pid, byte[] Content)> ReadEveryProcess(string file)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(Path.Combine(directory, file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // the process ended, or is not ours to read
            }

            yield return (pid, content);
        }
    }
}
