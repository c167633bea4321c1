using System.Diagnostics;
using System.Reflection;

namespace TwitterStream.Tests.AppHost;

/// <summary>The committed manifest is the deploy tool's contract: it must be exactly what the AppHost writes today.</summary>
public sealed class ManifestTests
{
    private const string Command =
        "dotnet run --project TwitterStream.AppHost -- --publisher manifest --output-path ../aspire-manifest/aspire-manifest.json";

    private const string CanaryKey = "canary-consumer-key-5f1d2c";
    private const string CanarySecret = "canary-consumer-secret-8e7a90";

    [Fact]
    public async Task The_committed_manifest_is_what_the_AppHost_writes_now_and_holds_no_secret()
    {
        var root = RepositoryRoot();
        // A sibling of aspire-manifest/, so the relative project paths inside come out the same.
        var folder = Path.Combine(root, $"aspire-manifest-check-{Guid.NewGuid():N}");
        try
        {
            var generated = await PublishManifestAsync(root, Path.Combine(folder, "aspire-manifest.json"));
            var committed = await File.ReadAllTextAsync(
                Path.Combine(root, "aspire-manifest", "aspire-manifest.json"), TestContext.Current.CancellationToken);

            Assert.DoesNotContain(CanaryKey, generated);
            Assert.DoesNotContain(CanarySecret, generated);
            Assert.True(
                Normalize(committed) == Normalize(generated),
                $"aspire-manifest/aspire-manifest.json is stale; regenerate it from the repository root with:\n  {Command}\n" +
                $"Generated now:\n{generated}");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>Runs README's command (on the already built AppHost) with canary parameter values in the environment.</summary>
    private static async Task<string> PublishManifestAsync(string root, string output)
    {
        var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "run", "--project", "TwitterStream.AppHost", "--no-build", "--configuration", configuration,
            "--", "--publisher", "manifest", "--output-path", output,
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Parameters__consumer-key"] = CanaryKey;
        start.Environment["Parameters__consumer-secret"] = CanarySecret;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"The AppHost failed to publish (exit {process.ExitCode}):\n{log}");
        Assert.DoesNotContain(CanaryKey, log);
        Assert.DoesNotContain(CanarySecret, log);
        return await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);
    }

    internal static string RepositoryRoot() => global::TwitterStream.Harness.Repository.Root;
}
