using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TwitterStream.AppHost;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>The table resource links to its page in dynamodb-admin, in the snapshot the dashboard shows.</summary>
public sealed class TableLinkTests
{
    [Fact]
    public async Task The_running_table_links_to_its_dynamodb_admin_page()
    {
        Assert.SkipUnless(new MachineToolProbes("docker").NodeAvailable(), "npx (Node.js) is not on PATH, so the AppHost adds no dynamodb-admin");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var tableName = $"link-{Guid.NewGuid():N}";
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            "TwitterStream:AwsEmulator=dynamodb-local",
            $"TwitterStream:DynamoDbPort={LocalPorts.Free()}",
            $"TwitterStream:DynamoDbAdminPort={LocalPorts.Free()}",
            $"TwitterStream:TableName={tableName}",
        ], timeout.Token);
        // Only the table, its emulator and dynamodb-admin matter here; nothing refers to these two.
        foreach (var name in new[] { "worker", "simulator" })
        {
            builder.Resources.Remove(builder.Resources.Single(r => r.Name == name));
        }

        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var running = await app.ResourceNotifications.WaitForResourceAsync(
            "posts", e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);

        var link = Assert.Single(running.Snapshot.Urls);
        var admin = app.GetEndpoint("dynamodb-admin", "http");
        Assert.Equal($"{admin.GetLeftPart(UriPartial.Authority)}/tables/{tableName}", link.Url);
        Assert.Equal("Browse posts", link.DisplayProperties.DisplayName);
        Assert.False(link.IsInternal);
        Assert.False(link.IsInactive);
    }
}
