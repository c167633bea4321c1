using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Tests.Reliability;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The AppHost in moto mode, Docker-free: the X credentials are seeded into moto's Secrets Manager, the worker and the
/// simulator read them back themselves through SSM's <c>/aws/reference/secretsmanager/…</c>, every post in the
/// simulator's ledger is stored once, and neither credential shows in any log, any command line or environment of the
/// processes the run starts, or any resource snapshot the dashboard would show.
/// </summary>
public sealed class MotoModeEndToEndTests
{
    private const string Region = LocalAwsCredentials.Region;

    [Fact]
    public async Task Credentials_come_back_from_Secrets_Manager_through_SSM_every_post_is_stored_once_and_no_value_leaks()
    {
        Assert.SkipWhen(MotoServerProcess.FindOnPath() is null, MotoServerProcess.MissingReason);
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var port = LocalPorts.Free();
        var tableName = $"moto-e2e-{Guid.NewGuid():N}";
        var canaries = new Canaries();
        string[] secrets = [canaries["consumer-key"], canaries["consumer-secret"]];
        var patterns = canaries.Patterns((secrets[0], secrets[1]));

        // In-process arguments: the values reach the AppHost's configuration without any command line.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            "TwitterStream:AwsEmulator=moto",
            $"TwitterStream:DynamoDbPort={port}",
            "TwitterStream:DynamoDbAdmin=false",
            $"TwitterStream:TableName={tableName}",
            "Simulator:TotalPosts=200",
            "Simulator:PostsPerSecond=100",
            $"Parameters:simulator-consumer-key={secrets[0]}",
            $"Parameters:simulator-consumer-secret={secrets[1]}",
        ], timeout.Token);
        // The AppHost's own logs and every resource's output (forwarded to ILogger by the testing builder), at Trace.
        var collected = new CollectingLoggerProvider();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(collected));
        await using var app = await builder.BuildAsync(timeout.Token);

        var snapshots = new ConcurrentQueue<ResourceEvent>();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in app.ResourceNotifications.WatchAsync(stopWatching.Token))
                {
                    snapshots.Enqueue(update);
                }
            }
            catch (OperationCanceledException) when (stopWatching.IsCancellationRequested)
            {
            }
        }, ct);

        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
        await EndToEndTests.WaitUntilTheLedgerIsStoredOnceAsync(app, "moto", tableName, timeout.Token, ct);

        // The secrets are in moto's Secrets Manager, readable where the consumers read them.
        var endpoint = app.GetEndpoint("moto", "http").ToString();
        using var ssm = LocalSsm.CreateClient(endpoint, Region);
        Assert.Equal(secrets[0], await SsmSecretsConfiguration.ReadAsync(ssm, "key", SsmSecretReferences.ParameterName("twitterstream/consumer-key"), ct));
        Assert.Equal(secrets[1], await SsmSecretsConfiguration.ReadAsync(ssm, "secret", SsmSecretReferences.ParameterName("twitterstream/consumer-secret"), ct));

        // No process the run started holds a value, in any form, on its command line or in its environment.
        var processes = ProcessTree.StartedBy(Environment.ProcessId);
        Assert.Contains(processes, p => p.CommandLine.Contains("moto_server", StringComparison.Ordinal));
        Assert.Contains(processes, p => p.CommandLine.Contains("TwitterStream.Worker", StringComparison.Ordinal));
        Assert.Contains(processes, p => p.CommandLine.Contains("TwitterStream.Simulator", StringComparison.Ordinal));
        var places = processes.SelectMany(p => new[]
        {
            ($"command line of pid {p.Id}", Encoding.UTF8.GetBytes(p.CommandLine)),
            ($"environment of pid {p.Id} ({Shorten(p.CommandLine)})", Encoding.UTF8.GetBytes(p.Environment)),
        }).ToList();

        stopWatching.Cancel();
        await watching;

        // The dashboard's view: only the parameters themselves hold their value, as a sensitive (masked) property.
        Assert.NotEmpty(snapshots);
        foreach (var update in snapshots)
        {
            var snapshot = update.Snapshot;
            var shown = snapshot.Properties.Where(p => !(update.Resource is ParameterResource && p.IsSensitive)).Select(p => $"{p.Name}={Flatten(p.Value)}")
                .Concat(snapshot.EnvironmentVariables.Select(v => $"{v.Name}={v.Value}"))
                .Concat(snapshot.Urls.Select(u => u.Url));
            places.Add(($"dashboard snapshot of {update.Resource.Name}", Encoding.UTF8.GetBytes(string.Join('\n', shown))));
        }

        // Logs: the AppHost's own and every resource's console output, message, structured state and exception.
        var logs = collected.ByCategory();
        Assert.Contains(logs, l => Encoding.UTF8.GetString(l.Content).Contains("Secret twitterstream/consumer-key created in Secrets Manager", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Place.EndsWith(".worker", StringComparison.Ordinal) && l.Content.Length > 0);
        places.AddRange(logs.Select(l => ($"log {l.Place}", l.Content)));

        var leaks = places
            .SelectMany(p => Canaries.Found(patterns, p.Item2).Select(label => $"{label} in {p.Item1}: …{Canaries.Context(patterns, label, p.Item2)}…"))
            .ToList();
        Assert.True(leaks.Count == 0, "credentials leaked: " + string.Join("; ", leaks));

        // The worker was told where to read its credentials, not what they are.
        var worker = snapshots.Last(e => e.Resource.Name == "worker").Snapshot;
        var workerEnv = worker.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-key", workerEnv[$"SsmSecrets__{WorkerVariables.ConsumerKey}"]);
        Assert.Equal("/aws/reference/secretsmanager/twitterstream/consumer-secret", workerEnv[$"SsmSecrets__{WorkerVariables.ConsumerSecretKey}"]);
        Assert.False(workerEnv.ContainsKey(WorkerVariables.ConsumerKey));
    }

    private static string Shorten(string commandLine) => commandLine.Length <= 80 ? commandLine : commandLine[..80] + "…";

    private static string Flatten(object? value) => value switch
    {
        null => "",
        string text => text,
        IEnumerable items => string.Join('\n', items.Cast<object?>().Select(Flatten)),
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// The processes a run of the AppHost in this process started, with their command lines and environments as /proc
/// shows them: its descendants, and those of the DCP it started, which detaches from its parent and watches it with
/// <c>--monitor &lt;pid&gt;</c> instead.
/// </summary>
internal static class ProcessTree
{
    public sealed record Entry(int Id, string CommandLine, string Environment);

    public static IReadOnlyList<Entry> StartedBy(int root)
    {
        var parents = new Dictionary<int, int>();
        var below = new HashSet<int> { root };
        var monitorsRoot = $"--monitor {root} ";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var id) && ParentOf(folder) is { } parent)
            {
                parents[id] = parent;
                if (Read(Path.Combine(folder, "cmdline")).Contains(monitorsRoot, StringComparison.Ordinal))
                {
                    below.Add(id);
                }
            }
        }

        var found = below.Where(id => id != root).Select(Describe).ToList();
        bool grew;
        do
        {
            grew = false;
            foreach (var (id, parent) in parents)
            {
                if (below.Contains(parent) && below.Add(id))
                {
                    grew = true;
                    found.Add(Describe(id));
                }
            }
        }
        while (grew);

        return found;
    }

    private static Entry Describe(int id) => new(id, Read($"/proc/{id}/cmdline"), Read($"/proc/{id}/environ"));

    /// <summary>The fourth field of /proc/PID/stat, after the command name in parentheses (which may hold spaces).</summary>
    private static int? ParentOf(string folder)
    {
        var stat = Read(Path.Combine(folder, "stat"));
        var end = stat.LastIndexOf(')');
        var fields = end < 0 ? [] : stat[(end + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : null;
    }

    /// <summary>NUL-separated /proc text as one string; empty for a process that has exited or is not ours to read.</summary>
    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
