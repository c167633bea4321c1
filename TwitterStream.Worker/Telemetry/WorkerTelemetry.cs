using System.Diagnostics;

namespace TwitterStream.Worker.Telemetry;

/// <summary>The names under which the worker's meter and activity source are exported.</summary>
internal static class WorkerTelemetry
{
    public const string Name = "TwitterStream.Worker";

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>Opening the stream: the request until X answers with the status line (the body is read in other spans).</summary>
    public const string StreamConnectActivity = "stream connect";

    /// <summary>One read of the stream's body that held lines other than keep-alives; linked to its connection.</summary>
    public const string StreamReceiveActivity = "stream receive";

    /// <summary>One DynamoDB BatchWriteItem; a child of the first post's receive span, linked to every post's.</summary>
    public const string BatchWriteActivity = "BatchWriteItem";
}
