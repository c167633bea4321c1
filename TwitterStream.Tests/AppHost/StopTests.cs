using System.Globalization;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>Ctrl+C at any moment stops the AppHost quietly and leaves none of the processes it started.</summary>
public sealed class StopTests
{
    /// <summary>Ctrl+C at several moments of the start, each marked by the first line that contains the text.</summary>
    [Theory]
    [InlineData("")] // the first line: before the host has set up its own Ctrl+C handling
    [InlineData("Starting DCP with arguments")]
    [InlineData("Login to the dashboard at")] // DCP is creating the resources: the moment of issue 11's stack trace
    [InlineData("Distributed application started.")]
    public async Task Ctrl_C_at_any_moment_of_the_start_is_quiet_and_leaves_no_process(string moment)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the processes left are found through /proc (Linux only)");
        var ct = TestContext.Current.CancellationToken;
        // Every process the AppHost starts inherits its environment, this marker included.
        var marker = $"TWITTERSTREAM_STOP_TEST={Guid.NewGuid():N}";
        var environment = new Dictionary<string, string?>
        {
            ["TWITTERSTREAM_STOP_TEST"] = marker["TWITTERSTREAM_STOP_TEST=".Length..],
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            ["ASPNETCORE_URLS"] = Loopback(),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Loopback(),
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = Loopback(),
        };
        string[] arguments =
        [
            "TwitterStream:AwsEmulator=dynamodb-local",
            $"TwitterStream:DynamoDbPort={LocalPorts.Free()}",
            $"TwitterStream:DynamoDbAdminPort={LocalPorts.Free()}",
        ];

        // A test run started in the background (`&`, nohup, some CI runners) hands its children SIGINT ignored, and an
        // ignored SIGINT stays ignored across exec: the AppHost would never see the Ctrl+C. A terminal's Ctrl+C reaches
        // a process with the default disposition, so the AppHost starts with it.
        await using var appHost = AppHostProcess.Start(arguments, environment, wrapper: ["env", "--default-signal=INT"]);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        appHost.OutputLine += line =>
        {
            if (line.Contains(moment, StringComparison.Ordinal))
            {
                reached.TrySetResult();
            }
        };
        if (appHost.RecentOutput.Contains(moment, StringComparison.Ordinal) && appHost.RecentOutput.Length > 0)
        {
            reached.TrySetResult();
        }

        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
        appHost.Interrupt();
        int exitCode;
        try
        {
            exitCode = await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            var running = Holding(System.Text.Encoding.UTF8.GetBytes(marker + "\0"));
            Assert.Fail($"the AppHost had not exited a minute after Ctrl+C; processes: {string.Join("; ", running)}{Environment.NewLine}{appHost.RecentOutput}");
            throw;
        }

        var output = appHost.RecentOutput;
        // 0 once the host handles Ctrl+C; 130 (the usual code for SIGINT) when it comes before the host has set that up.
        Assert.True(exitCode is 0 or 130, $"exit code {exitCode}:{Environment.NewLine}{output}");
        Assert.DoesNotContain("Hosting failed to start", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        var left = await ProcessesLeftAsync(marker, ct);
        Assert.True(left.Count == 0, "processes left: " + string.Join("; ", left));
    }

    private static string Loopback() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LocalPorts.Free()}");

    /// <summary>The processes still holding the marker once DCP has had its time to stop what it started (empty when none).</summary>
    private static async Task<List<string>> ProcessesLeftAsync(string marker, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            var left = Holding(System.Text.Encoding.UTF8.GetBytes(marker + "\0"));
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await poll.WaitForNextTickAsync(cancellationToken);
        }
    }

    private static List<string> Holding(byte[] entry)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllBytes(Path.Combine(directory, "environ")).AsSpan().IndexOf(entry) >= 0)
                {
                    found.Add($"{pid} {File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended, or is not ours to read.
            }
        }

        return found;
    }
}
