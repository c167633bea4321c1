using TwitterStream.Bench.LoadTest;

namespace TwitterStream.Tests.Benchmarks;

/// <summary>
/// The load test's smoke mode, run in-process as CI runs it: DynamoDB Local, the simulator and the worker as real
/// processes, a short fixed-rate and maximum-rate run and both baselines. It asserts completeness, never speed. It runs
/// the worker's plain build output (<c>--jit</c>): the Native AOT executable the load test publishes by default is
/// published and run end to end by <see cref="Worker.NativeWorkerTests"/>, and publishing it twice would double CI's
/// slowest step.
/// </summary>
public sealed class LoadTestSmokeTests
{
    [Fact]
    public async Task Smoke_run_stores_every_matched_post_exactly_once_and_reports_every_part()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(Path.GetTempPath(), $"twitterstream-loadtest-{Guid.NewGuid():N}.json");
        var log = new StringWriter();
        try
        {
            var plan = LoadTestArguments.Parse(["--smoke", "--jit", "--output", output], repositoryRoot: Path.GetTempPath())!;
            var report = await LoadTestRunner.RunAsync(plan, log, ct);
            await report.WriteJsonAsync(output, ct);

            Assert.Null(report.WithRoundTrip);
            Assert.Equal("jit", report.WorkerBuild);
            foreach (var run in report.Runs)
            {
                Assert.True(run.Completeness.IsComplete, $"{run.Name}: {run.Completeness.Detail}{Environment.NewLine}{log}");
                Assert.Equal(run.TotalPosts, run.Completeness.Expected);
                Assert.Equal(0, run.Completeness.Missing);
                Assert.Equal(0, run.Completeness.Duplicated);
                Assert.Equal(0, run.ExitCode);
                // Over the whole run: a smoke window can open after the last of the 3,000 maximum-rate posts is stored.
                Assert.True(run.WholeRunLatencyP99Ms > 0, $"{run.Name}: the worker reported no receive->stored latency");
                Assert.True(run.PeakRssMegabytes > 0, $"{run.Name}: no peak RSS was read from /proc");
                Assert.True(run.WholeRunCpuPercentOfOneCore > 0 && run.WholeRunSeconds > 0, $"{run.Name}: no CPU over the whole run was read from /proc");
            }

            Assert.Equal(2, report.Runs.Count());
            Assert.NotNull(report.Loopback);
            Assert.True(report.Loopback.Walkthrough.Puts > 0, "the walkthrough baseline stored nothing in its window");
            Assert.True(report.Loopback.PlainLoop.Puts > 0, "the plain-loop baseline stored nothing in its window");
            Assert.True(report.EveryRunComplete);

            var json = await File.ReadAllTextAsync(output, ct);
            Assert.Contains("\"ratioToWalkthrough\"", json, StringComparison.Ordinal);
            Assert.Contains("\"mode\": \"smoke\"", json, StringComparison.Ordinal);
            Assert.Contains("\"workerBuild\": \"jit\"", json, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
