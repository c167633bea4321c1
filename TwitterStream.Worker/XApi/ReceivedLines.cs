using System.Diagnostics;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.XApi;

/// <summary>
/// The span of one read of the stream's body, started at its first line that is not a keep-alive (idle keep-alives make
/// no spans). The root of its own trace, linked to the connection's span: one span open for a connection's whole life
/// would show nothing until the connection ends. Its posts remember it, so the write that stores them links back to it.
/// A struct: a read without a listener costs no allocation.
/// </summary>
internal struct ReceivedLines(ActivityContext connection)
{
    private Activity? _previous;
    private bool _started;
    private int _lines;
    private int _posts;

    public Activity? Activity { get; private set; }

    public void Count(StreamLine line)
    {
        if (line.Kind == StreamLineKind.KeepAlive)
        {
            return;
        }

        if (!_started)
        {
            _started = true;
            Start();
        }

        _lines++;
        _posts += line.Post is null ? 0 : 1;
    }

    public readonly void End()
    {
        if (Activity is not { } activity)
        {
            return;
        }

        activity.SetTag("twitterstream.lines", _lines);
        activity.SetTag("twitterstream.posts.kept", _posts);
        activity.Stop();
        Activity.Current = _previous;
    }

    private void Start()
    {
        if (!WorkerTelemetry.ActivitySource.HasListeners())
        {
            return;
        }

        _previous = Activity.Current;
        Activity.Current = null; // a root, not a child of whatever is current
        var links = connection == default ? null : new[] { new ActivityLink(connection) };
        Activity = WorkerTelemetry.ActivitySource.StartActivity(
            WorkerTelemetry.StreamReceiveActivity, ActivityKind.Consumer, default(ActivityContext), links: links);
        if (Activity is null)
        {
            Activity.Current = _previous;
        }
    }
}
