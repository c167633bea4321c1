using TwitterStream.Bench.LoadTest.Baselines;
using TwitterStream.Bench.LoadTest.EndToEnd;
using TwitterStream.Bench.LoadTest.Reporting;
using TwitterStream.Harness;

namespace TwitterStream.Bench.LoadTest;

/// <summary>
/// The whole load test: the fixed-rate run on its own system, then the maximum-rate run, then both baselines against
/// that run's DynamoDB Local (already warm, which favours the baselines, not the worker).
/// </summary>
public static class LoadTestRunner
{
    public static async Task<LoadTestReport> RunAsync(LoadTestPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineInfo.AtStart();

        var fixedScenario = EndToEndScenario.FixedRate(plan);
        log.WriteLine($"Worker, {fixedScenario.Name}: {fixedScenario.TotalPosts} posts");
        EndToEndResult fixedRate;
        await using (var system = await LocalSystem.StartAsync(fixedScenario.SimulatorSettings, cancellationToken: cancellationToken))
        {
            fixedRate = await EndToEndRun.RunAsync(system, fixedScenario, log, cancellationToken);
        }

        var maxScenario = EndToEndScenario.MaximumRate(plan);
        log.WriteLine($"Worker, {maxScenario.Name}: {maxScenario.TotalPosts} posts");
        await using (var system = await LocalSystem.StartAsync(maxScenario.SimulatorSettings, cancellationToken: cancellationToken))
        {
            var maximumRate = await EndToEndRun.RunAsync(system, maxScenario, log, cancellationToken);
            var walkthrough = await RunBaselineAsync(system.Dynamo, BaselineKind.Walkthrough, plan, log, cancellationToken);
            var plainLoop = await RunBaselineAsync(system.Dynamo, BaselineKind.PlainLoop, plan, log, cancellationToken);
            return new LoadTestReport(plan.Mode, startedAt, DateTimeOffset.UtcNow, machine.AtEnd(), fixedRate, maximumRate, walkthrough, plainLoop);
        }
    }

    private static async Task<BaselineResult> RunBaselineAsync(
        DynamoDbLocalProcess dynamo, BaselineKind kind, LoadTestPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"Baseline, {SequentialPutBaseline.Describe(kind)}");
        var result = await SequentialPutBaseline.RunAsync(dynamo, kind, plan.BaselineWarmup, plan.BaselineWindow, cancellationToken);
        log.WriteLine($"  {result.Puts} puts in {result.WindowSeconds:0.0} s: {result.StoredPerSecond:0}/s");
        return result;
    }
}
