using TwitterStream.Worker.Health;
using TwitterStream.Worker.Storage;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

public sealed class TelemetryTests
{
    [Fact]
    public void Latency_percentiles_come_from_fixed_buckets_within_ten_percent()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Record(ms);
        }

        Assert.Equal(100, histogram.Count);
        Assert.Equal(100, histogram.Max);
        Assert.InRange(histogram.Percentile(0.50), 50, 55);
        Assert.InRange(histogram.Percentile(0.99), 99, 100);
        Assert.Equal(0, new LatencyHistogram().Percentile(0.99));
    }

    [Fact]
    public void Write_retry_backoff_grows_exponentially_with_jitter_and_a_cap()
    {
        var backoff = new RetryBackoff(new Random(7));
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var step = Math.Min(RetryBackoff.Cap.TotalMilliseconds, RetryBackoff.Base.TotalMilliseconds * Math.Pow(2, attempt));
            Assert.InRange(backoff.Delay(attempt).TotalMilliseconds, step / 2, step);
        }
    }

    [Theory]
    [InlineData(null, 8080)]
    [InlineData("", 8080)]
    [InlineData("9000", 9000)]
    [InlineData("9001;9002", 9001)]
    [InlineData("nonsense", 8080)]
    public void Health_check_command_uses_the_first_http_port(string? ports, int expected) =>
        Assert.Equal(expected, HealthCheckCommand.Port(ports));
}
