using Amazon.DynamoDBv2;
using TwitterStream.Bench.LoadTest.Baselines;
using TwitterStream.Bench.LoadTest.EndToEnd;
using TwitterStream.Bench.LoadTest.Network;
using TwitterStream.Bench.LoadTest.Reporting;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest;

/// <summary>
/// The whole load test: the fixed-rate run on its own system; then the maximum-rate run followed by both baselines
/// against that run's DynamoDB Local (already warm, which favours the baselines, not the worker); then, when the plan
/// asks for it, the maximum-rate run and the baselines once more on a fresh system with a network round trip added.
/// With <see cref="LoadTestPlan.FixedRateOnly"/> only the first. The worker runs as its image ships it: published once as
/// Native AOT at the start (unless <see cref="LoadTestPlan.Jit"/> asks for the plain build output under <c>dotnet</c>).
/// </summary>
public static class LoadTestRunner
{
    public static async Task<LoadTestReport> RunAsync(LoadTestPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        using var nativeWorker = plan.Jit ? null : await PublishWorkerAsync(log, cancellationToken);
        var workerLaunch = nativeWorker?.Launch();
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineInfo.AtStart();

        var fixedScenario = EndToEndScenario.FixedRate(plan);
        log.WriteLine($"Worker ({plan.WorkerBuild}), {fixedScenario.Name}: {fixedScenario.TotalPosts} posts");
        EndToEndResult fixedRate;
        await using (var system = await LocalSystem.StartAsync(fixedScenario.SimulatorSettings, cancellationToken: cancellationToken, workerLaunch: workerLaunch))
        {
            fixedRate = await EndToEndRun.RunAsync(system, fixedScenario, log, cancellationToken);
        }

        log.WriteLine(FixedRateFigures.Describe(fixedRate));
        if (plan.FixedRateOnly)
        {
            return new LoadTestReport(plan.Mode, startedAt, DateTimeOffset.UtcNow, machine.AtEnd(), fixedRate, null, null) { WorkerBuild = plan.WorkerBuild };
        }

        var loopback = await CompareAsync(plan, TimeSpan.Zero, workerLaunch, log, cancellationToken);
        var withRoundTrip = plan.RoundTrip > TimeSpan.Zero ? await CompareAsync(plan, plan.RoundTrip, workerLaunch, log, cancellationToken) : null;
        return new LoadTestReport(plan.Mode, startedAt, DateTimeOffset.UtcNow, machine.AtEnd(), fixedRate, loopback, withRoundTrip) { WorkerBuild = plan.WorkerBuild };
    }

    /// <summary>Publishes the worker as its image ships it; the time goes to the log, as it is not part of any figure.</summary>
    public static async Task<NativeAotPublish> PublishWorkerAsync(TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"Publishing the worker as Native AOT ({NativeAotPublish.RuntimeIdentifier}; --jit runs its plain build output instead)");
        var published = await NativeAotPublish.PublishAsync(WorkerProcess.AssemblyName, cancellationToken);
        log.WriteLine($"  published in {published.Took.TotalSeconds:0} s to {published.Directory}");
        return published;
    }

    private static async Task<Comparison> CompareAsync(LoadTestPlan plan, TimeSpan roundTrip, LaunchOptions? workerLaunch, TextWriter log, CancellationToken cancellationToken)
    {
        var scenario = EndToEndScenario.MaximumRate(plan);
        await using var system = await LocalSystem.StartAsync(scenario.SimulatorSettings, cancellationToken: cancellationToken, workerLaunch: workerLaunch);
        await using var proxy = roundTrip > TimeSpan.Zero ? NetworkDelayProxy.Start(system.Dynamo.ServiceUrl, roundTrip) : null;
        var endpoint = proxy?.ServiceUrl ?? system.Dynamo.ServiceUrl;
        var network = Comparison.DescribeNetwork(roundTrip.TotalMilliseconds);

        log.WriteLine($"Worker ({plan.WorkerBuild}), {scenario.Name}, {network}: {scenario.TotalPosts} posts");
        var maximumRate = await EndToEndRun.RunAsync(
            system, scenario, log, cancellationToken, new Dictionary<string, string?> { [WorkerVariables.DynamoDbEndpoint] = endpoint.ToString() });
        var walkthrough = await RunBaselineAsync(() => DynamoDbLocalProcess.CreateClient(endpoint), BaselineKind.Walkthrough, network, plan, log, cancellationToken);
        var plainLoop = await RunBaselineAsync(() => DynamoDbLocalProcess.CreateClient(endpoint), BaselineKind.PlainLoop, network, plan, log, cancellationToken);
        return new Comparison(roundTrip.TotalMilliseconds, maximumRate, walkthrough, plainLoop);
    }

    private static async Task<BaselineResult> RunBaselineAsync(
        Func<IAmazonDynamoDB> createClient, BaselineKind kind, string network, LoadTestPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"Baseline, {SequentialPutBaseline.Describe(kind)}, {network}");
        var result = await SequentialPutBaseline.RunAsync(createClient, kind, plan.BaselineWarmup, plan.BaselineWindow, cancellationToken);
        log.WriteLine($"  {result.Puts} puts in {result.WindowSeconds:0.0} s: {result.StoredPerSecond:0}/s");
        return result;
    }
}
