using System.Diagnostics;

namespace TwitterStream.Worker.Telemetry;

/// <summary>The names under which the worker's meter and activity source are exported.</summary>
internal static class WorkerTelemetry
{
    public const string Name = "TwitterStream.Worker";

    public static readonly ActivitySource ActivitySource = new(Name);
}
