using System.Diagnostics.Metrics;

namespace TwitterStream.Tests.Worker;

/// <summary>A meter factory for unit tests that construct the metrics without a host; it disposes what it created.</summary>
public sealed class PlainMeterFactory : IMeterFactory
{
    private readonly List<Meter> _created = [];

    /// <summary>The meters made here, so a listener can tell them from other tests' meters of the same name.</summary>
    public IReadOnlyList<Meter> Created => _created;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _created.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _created)
        {
            meter.Dispose();
        }
    }
}
