using System.Diagnostics.Metrics;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Tests.Worker;

public sealed class WorkerMetricsTests
{
    /// <summary>Every counter and gauge README names, as the exporter (and so the dashboard) sees them.</summary>
    private static readonly string[] ReadmeMetrics =
    [
        "twitterstream.posts.received",
        "twitterstream.posts.kept",
        "twitterstream.posts.stored",
        "twitterstream.lines.rejected",
        "twitterstream.stream.reconnects",
        "twitterstream.writes.retries",
        "twitterstream.buffer.depth",
    ];

    [Fact]
    public void Every_counter_and_the_buffer_depth_are_exported_at_zero_before_anything_counts()
    {
        using var meters = new PlainMeterFactory();
        _ = new WorkerMetrics(meters, new PostBuffer(25), new WorkerHealthState());
        using var exported = new ExportedValues(meters);

        var values = exported.Collect();

        Assert.All(ReadmeMetrics, name => Assert.Equal(0, Assert.Contains(name, values)));
    }

    [Fact]
    public void The_exported_counters_follow_the_in_process_totals()
    {
        using var meters = new PlainMeterFactory();
        var metrics = new WorkerMetrics(meters, new PostBuffer(25), new WorkerHealthState());
        using var exported = new ExportedValues(meters);

        metrics.LineRejected();
        metrics.LineRejected();
        metrics.Reconnected();
        metrics.WriteRetried();
        metrics.PostReceived();
        var values = exported.Collect();

        Assert.Equal(2, values["twitterstream.lines.rejected"]);
        Assert.Equal(1, values["twitterstream.stream.reconnects"]);
        Assert.Equal(1, values["twitterstream.writes.retries"]);
        Assert.Equal(1, values["twitterstream.posts.received"]);
        Assert.Equal(0, values["twitterstream.posts.stored"]);
        Assert.Equal(metrics.Snapshot().Rejected, values["twitterstream.lines.rejected"]);
    }

    /// <summary>A MeterListener on this factory's worker meter only (other tests' meters share the name).</summary>
    private sealed class ExportedValues : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _values = [];

        public ExportedValues(PlainMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (meters.Created.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _values[instrument.Name] = value);
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _values[instrument.Name] = value);
            _listener.Start();
        }

        public Dictionary<string, long> Collect()
        {
            _values.Clear();
            _listener.RecordObservableInstruments();
            return new(_values);
        }

        public void Dispose() => _listener.Dispose();
    }
}
