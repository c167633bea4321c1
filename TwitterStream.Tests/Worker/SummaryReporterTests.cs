using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

public sealed class SummaryReporterTests
{
    [Fact]
    public async Task The_summary_line_gives_the_p99_latency_to_a_tenth_of_a_millisecond()
    {
        using var meters = new PlainMeterFactory();
        var metrics = new WorkerMetrics(meters, new PostBuffer(25), new WorkerHealthState());
        for (var i = 0; i < 99; i++)
        {
            metrics.PostStored(150); // the bucket whose upper bound, 153.89933993880376 ms, is the p99
        }

        metrics.PostStored(1_000);
        var logger = new LinesLogger();
        var reporter = new SummaryReporter(metrics, new WorkerOptions(), new FakeTimeProvider(), logger);

        await reporter.StopAsync(TestContext.Current.CancellationToken);

        var line = Assert.Single(logger.Lines);
        Assert.EndsWith("p99 latency 153.9 ms", line, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, logger.Levels.Single());
    }

    private sealed class LinesLogger : ILogger<SummaryReporter>
    {
        public List<string> Lines { get; } = [];

        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add(formatter(state, exception));
            Levels.Add(logLevel);
        }
    }
}
