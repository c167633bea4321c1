using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;
using M = TwitterStream.Contracts.WorkerCloudWatchMetrics;

namespace TwitterStream.Tests.Worker.Telemetry;

public sealed class EmfReporterTests
{
    /// <summary>Collects the documents; Lines is read while the reporter writes from its timer.</summary>
    private sealed class LineWriter : StringWriter
    {
        private readonly Lock _lock = new();
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                _lines.Add(value ?? "");
            }
        }
    }

    [Fact]
    public async Task Every_interval_of_the_time_provider_writes_one_valid_document_of_that_intervals_counts()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var options = new WorkerOptions { DeploymentName = "prod", MetricsInterval = TimeSpan.FromSeconds(60) };
        using var meters = new PlainMeterFactory();
        var health = new WorkerHealthState();
        var metrics = new WorkerMetrics(meters, new PostBuffer(25), health);
        var usage = new UsageMetrics(meters, new UsageReadings(), UsageTestKit.BudgetWithoutLimit(options, time), new StreamPause());
        var output = new LineWriter();
        var reporter = new EmfReporter(metrics, usage, options, time, new EmfOutput(output));
        var ct = TestContext.Current.CancellationToken;

        metrics.PostReceived(); // before the start: not in the first interval
        await reporter.StartAsync(ct);
        metrics.PostReceived();
        metrics.PostReceived();
        metrics.PostStored(12.0);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(output.Lines);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => Task.FromResult(output.Lines.Count), count => count == 1, TimeSpan.FromSeconds(10), "the first document");

        metrics.WriteRetried();
        time.Advance(TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(() => Task.FromResult(output.Lines.Count), count => count == 2, TimeSpan.FromSeconds(10), "the second document");
        metrics.PostReceived();
        await reporter.StopAsync(ct);

        var lines = output.Lines;
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.Empty(EmfRules.Violations(line, time.GetUtcNow())));
        var documents = lines.Select(line => (JsonObject)JsonNode.Parse(line)!).ToList();
        Assert.Equal([2.0, 0.0, 1.0], documents.Select(d => d[M.PostsReceived]!.GetValue<double>()));
        Assert.Equal([0.0, 1.0, 0.0], documents.Select(d => d[M.WriteRetries]!.GetValue<double>()));
        Assert.Equal(12.0, documents[0][M.LatencyP99]!.GetValue<double>(), 1.3); // a bucket's bound, at most ~10 % high
        Assert.Null(documents[1][M.LatencyP99]);
        Assert.Equal(
            [time.Start.AddSeconds(60).ToUnixTimeMilliseconds(), time.Start.AddSeconds(120).ToUnixTimeMilliseconds()],
            documents.Take(2).Select(d => d["_aws"]!["Timestamp"]!.GetValue<long>()));
        Assert.All(documents, d => Assert.Equal("prod", d[M.DeploymentDimension]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("http://169.254.170.2/v4/abc", 1)]
    public void The_reporter_runs_only_where_ECS_set_its_metadata_variable(string? metadataUri, int reporters)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WorkerVariables.EcsContainerMetadataUri] = metadataUri })
            .Build();

        var services = new ServiceCollection().AddCloudWatchMetrics(configuration);

        Assert.Equal(reporters, services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EmfReporter)));
    }
}
