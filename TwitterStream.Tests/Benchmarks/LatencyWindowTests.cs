using TwitterStream.Bench.LoadTest.EndToEnd;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Benchmarks;

/// <summary>The load test takes latency percentiles over its measured window by subtracting two /stats histograms.</summary>
public sealed class LatencyWindowTests
{
    [Fact]
    public void Histogram_buckets_hold_every_latency_and_give_the_same_percentiles()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 200; ms++)
        {
            histogram.Record(ms);
        }

        var buckets = histogram.Buckets();
        Assert.Equal(200, buckets.Sum(b => b.Count));
        Assert.True(buckets.Zip(buckets.Skip(1)).All(pair => pair.First.UpperBoundMs < pair.Second.UpperBoundMs));
        Assert.Equal(histogram.Percentile(0.50), LatencyHistogram.Percentile(buckets, 0.50));
        Assert.InRange(LatencyHistogram.Percentile(buckets, 0.99), 198, 200 * 1.1);
        Assert.Equal(0, LatencyHistogram.Percentile([], 0.99));
    }

    [Fact]
    public void A_window_excludes_the_slow_start_before_it()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 500; i++)
        {
            histogram.Record(1_500); // the first posts wait for the JIT and the first connection
        }

        var start = Snapshot(histogram, TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Record(2 + (i % 10));
        }

        var end = Snapshot(histogram, TimeSpan.FromSeconds(35));

        Assert.InRange(end.LatencyPercentileSince(null, 0.99), 1_500, 1_650);
        Assert.InRange(end.LatencyPercentileSince(start, 0.99), 11, 11 * 1.1);
        Assert.InRange(end.LatencyPercentileSince(start, 0.50), 6, 7 * 1.1);
    }

    private static WorkerSnapshot Snapshot(LatencyHistogram histogram, TimeSpan at) =>
        new(at, new WorkerStats(0, 0, 0, 0, 0, 0, 0, false, new LatencyStats(0, 0, histogram.Max, 0, histogram.Buckets())), new ProcessSample(0, 0, TimeSpan.Zero));
}
