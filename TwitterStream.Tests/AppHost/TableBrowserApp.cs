using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TwitterStream.AppHost;
using TwitterStream.AppHost.Worker;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The real AppHost with only the posts table, its emulator and dynamodb-admin (worker, simulator and compliance sweep
/// removed: nothing refers to them here), started on free ports until the table runs.
/// </summary>
internal sealed class TableBrowserApp(IDistributedApplicationTestingBuilder builder, DistributedApplication app) : IAsyncDisposable
{
    public DistributedApplication App { get; } = app;

    public static void SkipUnlessNodeIsInstalled() =>
        Assert.SkipUnless(new MachineToolProbes("docker").NodeAvailable(), "npx (Node.js) is not on PATH, so the AppHost adds no dynamodb-admin");

    /// <param name="emulator">The <c>TwitterStream:AwsEmulator</c> value.</param>
    /// <param name="settings">More AppHost arguments, <c>Key=value</c>.</param>
    public static async Task<TableBrowserApp> StartAsync(string emulator, string tableName, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            $"TwitterStream:AwsEmulator={emulator}",
            $"TwitterStream:DynamoDbPort={LocalPorts.Free()}",
            $"TwitterStream:DynamoDbAdminPort={LocalPorts.Free()}",
            $"TwitterStream:TableName={tableName}",
            .. settings,
        ], cancellationToken);
        foreach (var name in new[] { "worker", "simulator", ComplianceSweepResource.Name })
        {
            if (builder.Resources.SingleOrDefault(r => r.Name == name) is { } resource)
            {
                builder.Resources.Remove(resource);
            }
        }

        var started = new TableBrowserApp(builder, await builder.BuildAsync(cancellationToken));
        try
        {
            await started.App.StartAsync(cancellationToken);
            await started.App.ResourceNotifications.WaitForResourceAsync(
                "posts", e => e.Snapshot.State?.Text == KnownResourceStates.Running, cancellationToken);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await builder.DisposeAsync();
    }
}
