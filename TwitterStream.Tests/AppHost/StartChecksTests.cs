using Microsoft.Extensions.Configuration;
using TwitterStream.AppHost;
using TwitterStream.AppHost.XApi;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// What the AppHost cannot run with stops it before the model is built: one line naming the problem and the fix, exit
/// code 1, instead of a prompt nobody answers or resources waiting for ever.
/// </summary>
public sealed class StartChecksTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
        .Build();

    [Fact]
    public void The_real_X_API_needs_both_real_credentials_and_the_line_names_the_two_commands()
    {
        var problem = Assert.Throws<SettingsException>(() => XCredentials.RequireRealCredentials(Configuration()));

        Assert.Equal(
            "TwitterStream:StreamSource is x but Parameters:consumer-key and Parameters:consumer-secret are not set; give your X app's credentials with "
            + "dotnet user-secrets set \"Parameters:consumer-key\" \"<API key>\" --project TwitterStream.AppHost and "
            + "dotnet user-secrets set \"Parameters:consumer-secret\" \"<API key secret>\" --project TwitterStream.AppHost",
            problem.Message);
    }

    [Fact]
    public void An_empty_credential_counts_as_missing_and_the_value_of_the_other_is_not_shown()
    {
        var problem = Assert.Throws<SettingsException>(() => XCredentials.RequireRealCredentials(
            Configuration(("Parameters:consumer-key", "canary-key-value"), ("Parameters:consumer-secret", " "))));

        Assert.StartsWith("TwitterStream:StreamSource is x but Parameters:consumer-secret is not set;", problem.Message);
        Assert.DoesNotContain("canary-key-value", problem.Message);
    }

    [Fact]
    public void The_simulators_generated_credentials_do_not_count_as_real_ones()
    {
        Assert.Throws<SettingsException>(() => XCredentials.RequireRealCredentials(Configuration(
            ("Parameters:simulator-consumer-key", "generated"), ("Parameters:simulator-consumer-secret", "generated"))));
        XCredentials.RequireRealCredentials(Configuration(("Parameters:consumer-key", "k"), ("Parameters:consumer-secret", "s")));
    }

    [Fact]
    public async Task The_real_X_API_without_credentials_stops_the_AppHost_with_one_line_and_exit_code_1()
    {
        // Empty values on the command line override whatever this machine's user secrets hold.
        var (exitCode, output) = await RunAppHostAsync(
            ["TwitterStream:StreamSource=x", "Parameters:consumer-key=canary-key-value", "Parameters:consumer-secret="]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output);
        Assert.Contains("dotnet user-secrets set \"Parameters:consumer-secret\"", line);
        Assert.DoesNotContain("canary-key-value", line);
    }

    [Fact]
    public async Task LocalStack_without_a_container_runtime_stops_the_AppHost_with_one_line_and_exit_code_1()
    {
        var runtime = $"no-such-runtime-{Guid.NewGuid():N}";

        var (exitCode, output) = await RunAppHostAsync(
            ["TwitterStream:AwsEmulator=localstack"], new() { ["ASPIRE_CONTAINER_RUNTIME"] = runtime });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output);
        Assert.Contains($"no container runtime ('{runtime}' is not on PATH or did not answer)", line);
        Assert.Contains("dynamodb-local", line);
        Assert.Contains("auto", line);
    }

    /// <summary>The built AppHost as <c>dotnet run</c> starts it; its non-empty output lines once it has exited.</summary>
    private static async Task<(int ExitCode, string[] Output)> RunAppHostAsync(
        string[] arguments, Dictionary<string, string?>? environment = null)
    {
        await using var appHost = AppHostProcess.Start(arguments, environment ?? []);
        var exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (exitCode, appHost.RecentOutput.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
