using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using System.Text.Json;
using TwitterStream.Tests.AppHost;
using TwitterStream.Tests.Deploy;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// A local run says Development: the AppHost starts the worker with its launch profile, which sets
/// DOTNET_ENVIRONMENT; the manifest (so the deployment) gets no launch profile and runs as Production.
/// </summary>
public sealed class WorkerEnvironmentTests(AppHostModels models) : IClassFixture<AppHostModels>
{
    [Fact]
    public async Task The_apphost_runs_the_worker_as_Development_and_publishes_it_without_that()
    {
        var model = await models.GetAsync();
        var worker = model.Resource<ProjectResource>("worker");

        Assert.Equal("Development", (await RunEnvironmentAsync(worker)).GetValueOrDefault("DOTNET_ENVIRONMENT"));
    }

    [Fact]
    public async Task The_published_worker_gets_no_environment_name()
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(DeployManifests.CommittedPath, TestContext.Current.CancellationToken));
        var env = manifest.RootElement.GetProperty("resources").GetProperty("worker").GetProperty("env");

        Assert.False(env.TryGetProperty("DOTNET_ENVIRONMENT", out _));
        Assert.False(env.TryGetProperty("ASPNETCORE_ENVIRONMENT", out _));
    }

    private static async Task<Dictionary<string, object>> RunEnvironmentAsync(IResourceWithEnvironment resource)
    {
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(
            new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, values, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return values;
    }
}
