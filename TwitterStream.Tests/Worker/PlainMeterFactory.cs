using System.Diagnostics.Metrics;

namespace TwitterStream.Tests.Worker;

/// <summary>A meter factory for unit tests that construct the metrics without a host.</summary>
public sealed class PlainMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
