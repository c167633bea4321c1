using System.Globalization;
using System.Reflection;
using System.Text;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Deploy;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Canary values for every credential: after a run at Trace level with OpenTelemetry exported to a local receiver, no
/// canary appears in any output, export or command line; the process environment is the only place they live; an
/// invalid credential's error names the variable and never the value.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SecretTests(SharedDynamoDbLocal dynamo)
{
    private static Dictionary<string, string?> TraceLogging => new()
    {
        ["Logging__LogLevel__Default"] = "Trace",
        ["Logging__LogLevel__Microsoft"] = "Trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
        ["Logging__LogLevel__System"] = "Trace",
        ["Logging__LogLevel__System.Net.Http"] = "Trace",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Trace",
    };

    [Theory]
    [InlineData("consumer-key-and-secret")]
    [InlineData("bearer-token")]
    public async Task No_canary_leaves_the_process_environment(string credentials)
    {
        var canaries = new Canaries();
        var folder = Directory.CreateTempSubdirectory("twitterstream-secrets-").FullName;
        try
        {
            await using var otlp = await OtlpReceiver.StartAsync(Scenario.Token);
            await using var simulatorOtlp = await OtlpReceiver.StartAsync(Scenario.Token);
            var simulatorSettings = Scenario.Settings(totalPosts: 300, postsPerSecond: 300);
            simulatorSettings["ConsumerKey"] = canaries[WorkerVariables.ConsumerKey];
            simulatorSettings["ConsumerSecret"] = canaries[WorkerVariables.ConsumerSecretKey];
            simulatorSettings["BearerToken"] = canaries[WorkerVariables.BearerToken];
            var simulatorEnvironment = new Dictionary<string, string?>(TraceLogging);
            foreach (var (key, value) in simulatorOtlp.ExporterEnvironment)
            {
                simulatorEnvironment[key] = value;
            }

            await using var system = await LocalSystem.StartAsync(simulatorSettings, cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process,
                simulatorLaunch: new LaunchOptions(TranscriptPath: Path.Combine(folder, "simulator.log")), simulatorEnvironment: simulatorEnvironment);

            var workerEnvironment = new Dictionary<string, string?>(TraceLogging)
            {
                [WorkerVariables.SecretAccessKey] = canaries[WorkerVariables.SecretAccessKey],
                ["AWS_SESSION_TOKEN"] = canaries["AWS_SESSION_TOKEN"],
            };
            foreach (var (key, value) in otlp.ExporterEnvironment)
            {
                workerEnvironment[key] = value;
            }

            if (credentials == "bearer-token")
            {
                workerEnvironment[WorkerVariables.ConsumerKey] = null;
                workerEnvironment[WorkerVariables.ConsumerSecretKey] = null;
                workerEnvironment[WorkerVariables.BearerToken] = canaries[WorkerVariables.BearerToken];
            }

            var worker = await system.StartWorkerAsync(workerEnvironment, Scenario.Token, new LaunchOptions(TranscriptPath: Path.Combine(folder, "worker.log")));
            await Scenario.SettleAsync(system, 300);
            await Scenario.AssertCompleteAsync(system, 300);

            // Wait until the exports carry the run (its posts in the logs, its table in the traces), so the search below
            // searches what the worker really exported.
            var postIds = (await system.Simulator.GetLedgerAsync(Scenario.Token)).Select(e => Encoding.UTF8.GetBytes(e.Id)).ToList();
            var table = Encoding.UTF8.GetBytes(system.TableName);
            await Readiness.WaitUntilAsync(worker.Process, () => Task.FromResult(
                otlp.Exports.Any(e => e.Path == "/v1/logs" && postIds.Any(id => e.Body.AsSpan().IndexOf(id) >= 0))
                && otlp.Exports.Any(e => e.Path == "/v1/traces" && e.Body.AsSpan().IndexOf(table) >= 0)),
                TimeSpan.FromSeconds(30), "export logs and traces of its posts", Scenario.Token);

            var processes = new[] { worker.Process, system.Simulator.Process };
            var environments = processes.Select(p => (p.Name, Environ: p.ReadProcFile("environ"))).ToList();
            var commandLines = processes.Select(p => (p.Name, CommandLine: p.ReadProcFile("cmdline"))).ToList();

            // Stop both gracefully so shutdown logs and the last exports are in too.
            worker.Process.Terminate();
            await worker.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            system.Simulator.Process.Terminate();
            await system.Simulator.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

            var patterns = canaries.Patterns((canaries[WorkerVariables.ConsumerKey], canaries[WorkerVariables.ConsumerSecretKey]));
            var places = new List<(string Place, byte[] Content)>
            {
                ("worker output", File.ReadAllBytes(Path.Combine(folder, "worker.log"))),
                ("simulator output", File.ReadAllBytes(Path.Combine(folder, "simulator.log"))),
            };
            places.AddRange(commandLines.Select(c => ($"{c.Name} command line", c.CommandLine)));
            places.AddRange(otlp.Exports.Select((e, i) => ($"worker OTLP export {i} ({e.Path})", e.Body)));
            places.AddRange(simulatorOtlp.Exports.Select((e, i) => ($"simulator OTLP export {i} ({e.Path})", e.Body)));
            var leaks = places.SelectMany(p => Canaries.Found(patterns, p.Content).Select(label => $"{label} in {p.Place}: …{Canaries.Context(patterns, label, p.Content)}…")).ToList();
            Assert.True(leaks.Count == 0, "canaries leaked: " + string.Join("; ", leaks));

            // Positive control: the canaries were really handed over, so not finding them means something.
            var workerEnviron = environments[0].Environ;
            var given = credentials == "bearer-token"
                ? new[] { WorkerVariables.BearerToken, WorkerVariables.SecretAccessKey, "AWS_SESSION_TOKEN" }
                : [WorkerVariables.ConsumerKey, WorkerVariables.ConsumerSecretKey, WorkerVariables.SecretAccessKey, "AWS_SESSION_TOKEN"];
            foreach (var name in given)
            {
                Assert.True(workerEnviron.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"{name}={canaries[name]}")) >= 0, $"{name} is not in the worker's environment");
            }

            var logLines = places.Take(2).Sum(p => p.Content.Count(b => b == (byte)'\n'));
            ReliabilityFigures.Record($"secrets:{credentials}", string.Create(CultureInfo.InvariantCulture,
                $"canaries {canaries.Values.Count} in {patterns.Count} forms searched in {places.Count} places ({logLines} log lines at Trace, {otlp.Exports.Count + simulatorOtlp.Exports.Count} OTLP exports, 2 command lines): found {leaks.Count}; present in /proc/<pid>/environ only"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Wrong_credentials_stop_the_worker_with_an_error_naming_the_variables_not_the_values()
    {
        var canaries = new Canaries();
        var simulatorSettings = Scenario.Settings(totalPosts: 10, postsPerSecond: 10);
        simulatorSettings["ConsumerKey"] = canaries["expected-key"];
        simulatorSettings["ConsumerSecret"] = canaries["expected-secret"];
        await using var system = await LocalSystem.StartAsync(simulatorSettings, cancellationToken: Scenario.Token, sharedDynamo: dynamo.Process);
        var environment = system.WorkerEnvironment(new Dictionary<string, string?>(TraceLogging)
        {
            [WorkerVariables.ConsumerKey] = canaries[WorkerVariables.ConsumerKey],
            [WorkerVariables.ConsumerSecretKey] = canaries[WorkerVariables.ConsumerSecretKey],
        });
        environment["HTTP_PORTS"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture);
        var process = DotnetApp.Start("TwitterStream.Worker", [], environment);
        await using (process)
        {
            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var text = process.RecentOutput;
            Assert.True(exitCode != 0, $"the worker kept running with wrong credentials:{Environment.NewLine}{text}");
            Assert.Contains(WorkerVariables.ConsumerKey, text, StringComparison.Ordinal);
            var leaks = Canaries.Found(canaries.Patterns((canaries[WorkerVariables.ConsumerKey], canaries[WorkerVariables.ConsumerSecretKey])), Encoding.UTF8.GetBytes(text)).ToList();
            Assert.True(leaks.Count == 0, "the error shows a credential: " + string.Join("; ", leaks));
            ReliabilityFigures.Record("secrets:wrong-credentials", $"exit code {exitCode}; error names the variable, shows no value: {text.Split('\n').LastOrDefault(l => l.Contains(WorkerVariables.ConsumerKey, StringComparison.Ordinal))?.Trim()}");
        }
    }

    [Fact]
    public async Task Manifest_generation_and_the_deploy_plan_carry_no_canary()
    {
        var canaries = new Canaries();
        using var bed = new DeployTestBed();
        var manifest = Path.Combine(bed.Root, "manifest", "aspire-manifest.json");
        var transcript = Path.Combine(bed.Root, "apphost.log");
        var configuration = typeof(SecretTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var environment = new Dictionary<string, string?>(TraceLogging)
        {
            ["Parameters__consumer-key"] = canaries["consumer-key"],
            ["Parameters__consumer-secret"] = canaries["consumer-secret"],
        };

        // README's manifest command, on the built AppHost, with the secret parameters given.
        await using (var publish = ManagedProcess.Start("AppHost publish", "dotnet",
            ["run", "--project", "TwitterStream.AppHost", "--no-build", "--configuration", configuration, "--", "--publisher", "manifest", "--output-path", manifest],
            environment, DeployManifests.RepositoryRoot, transcriptPath: transcript))
        {
            var exitCode = await publish.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, $"manifest generation failed ({exitCode}):{Environment.NewLine}{publish.RecentOutput}");
        }

        bed.Environment["Parameters__consumer-key"] = canaries["consumer-key"];
        bed.Environment["Parameters__consumer-secret"] = canaries["consumer-secret"];
        var planFolder = Path.Combine(bed.Root, "plan-for-review");
        var plan = await bed.RunAsync("plan", "--out", planFolder, "--manifest", manifest, "--region", "us-east-1");
        Assert.True(plan.ExitCode == 0, plan.Error);

        var places = new List<(string Place, byte[] Content)>
        {
            ("AppHost output", File.ReadAllBytes(transcript)),
            ("deploy plan output", Encoding.UTF8.GetBytes(plan.Out + plan.Error)),
        };
        places.AddRange(Directory.GetFiles(Path.GetDirectoryName(manifest)!).Concat(Directory.GetFiles(planFolder))
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))));
        var patterns = canaries.Patterns((canaries["consumer-key"], canaries["consumer-secret"]));
        var leaks = places.SelectMany(p => Canaries.Found(patterns, p.Content).Select(label => $"{label} in {p.Place}")).ToList();
        Assert.True(leaks.Count == 0, "canaries leaked: " + string.Join("; ", leaks));
        Assert.Contains(places, p => p.Place == "task-definition.json");
        ReliabilityFigures.Record("secrets:manifest+plan", string.Create(CultureInfo.InvariantCulture,
            $"canaries {canaries.Values.Count} in {patterns.Count} forms searched in {places.Count} places (AppHost publish output at Trace, the manifest, the plan's output and {places.Count - 3} plan files): found {leaks.Count}"));
    }
}
