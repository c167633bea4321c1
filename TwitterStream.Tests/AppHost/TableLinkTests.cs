using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace TwitterStream.Tests.AppHost;

/// <summary>The table resource links to its page in dynamodb-admin, in the snapshot the dashboard shows.</summary>
public sealed class TableLinkTests
{
    [Fact]
    public async Task The_running_table_links_to_its_dynamodb_admin_page()
    {
        TableBrowserApp.SkipUnlessNodeIsInstalled();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var tableName = $"link-{Guid.NewGuid():N}";
        await using var started = await TableBrowserApp.StartAsync("dynamodb-local", tableName, [], timeout.Token);
        var app = started.App;
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
