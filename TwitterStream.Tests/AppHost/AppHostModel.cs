using System.Reflection;
using TwitterStream.Harness;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TwitterStream.Tests.AppHost;

/// <summary>The real AppHost's model, built with the given arguments and never started.</summary>
internal sealed class AppHostModel(IDistributedApplicationTestingBuilder builder, DistributedApplication app) : IAsyncDisposable
{
    public static async Task<AppHostModel> BuildAsync(params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(args, ct);
        return new AppHostModel(builder, await builder.BuildAsync(ct));
    }

    public IReadOnlyList<IResource> Resources => [.. app.Services.GetRequiredService<DistributedApplicationModel>().Resources];

    public T Resource<T>(string name) where T : IResource =>
        Assert.IsType<T>(Assert.Single(Resources, r => r.Name == name), exactMatch: false);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await builder.DisposeAsync();
    }
}

/// <summary>
/// Each model the app-model tests read, built once and disposed together at the end: disposing a built AppHost can
/// wait on DCP's start-up checks, and that wait is paid once, in parallel, instead of once per test.
/// </summary>
public sealed class AppHostModels : IAsyncDisposable
{
    private readonly Dictionary<string, Task<AppHostModel>> _models = [];
    private readonly Lock _lock = new();

    internal Task<AppHostModel> GetAsync(params string[] args)
    {
        lock (_lock)
        {
            var key = string.Join('\n', args);
            if (!_models.TryGetValue(key, out var model))
            {
                model = AppHostModel.BuildAsync(args);
                _models[key] = model;
            }

            return model;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_models.Values.Select(async model => await (await model).DisposeAsync()));
    }
}

internal static class ResourceInspection
{
    /// <summary>The environment as the manifest would show it: references as <c>{resource.…}</c>, literals as they are.</summary>
    public static async Task<Dictionary<string, string>> EnvironmentExpressionsAsync(this IResourceWithEnvironment resource)
    {
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(
            new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource, values,
            TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return values.ToDictionary(pair => pair.Key, pair => Expression(pair.Value));
    }

    /// <summary>The command-line arguments, with references shown as manifest expressions.</summary>
    public static async Task<string[]> ArgumentExpressionsAsync(this IResourceWithArgs resource)
    {
        var values = new List<object>();
        var context = new CommandLineArgsCallbackContext(values, resource, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. values.Select(Expression)];
    }

    private static string Expression(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider reference => reference.ValueExpression,
        _ => value.ToString() ?? "",
    };

    public static IEnumerable<string> WaitsFor(this IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name);

    public static EndpointAnnotation Endpoint(this IResource resource, string name) =>
        Assert.Single(resource.Annotations.OfType<EndpointAnnotation>(), e => e.Name == name);
}

/// <summary>
/// A container runtime CLI that answers <c>info</c>, for models that need LocalStack on a machine without Docker: the
/// AppHost only asks it whether a runtime answers, and a model that is never started runs no container.
/// </summary>
internal static class ContainerRuntimeStandIn
{
    private static readonly Lazy<string> Cli = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("twitterstream-container-runtime-");
        var path = Path.Combine(folder.FullName, "docker");
        File.WriteAllText(path, "#!/bin/sh\necho 27.0.0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    });

    /// <summary>The AppHost argument that makes it (and only it) ask the stand-in.</summary>
    public static string Setting => $"ASPIRE_CONTAINER_RUNTIME={Cli.Value}";
}

/// <summary>The AppHost as a process of its own, from its own build output, as <c>dotnet run --no-build</c> starts it.</summary>
internal static class AppHostProcess
{
    public static string BuildOutput => Path.Combine(
        Repository.Root, "TwitterStream.AppHost", "bin",
        typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug", "net10.0");

    /// <param name="wrapper">A command the AppHost is started under (it must exec the rest of its arguments).</param>
    public static ManagedProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? wrapper = null) =>
        DotnetApp.Start("TwitterStream.AppHost", arguments, environment, launch: new LaunchOptions(Wrapper: wrapper, AppDirectory: BuildOutput));
}
