using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// <c>received_at</c> as text, shared by the posts received in the same millisecond: at high rates the lines of one
/// network read arrive within a millisecond, so most posts reuse the previous string. Thread-safe: writers fill items
/// concurrently, and the cached pair is replaced as one immutable object.
/// </summary>
internal sealed class ReceivedAtText
{
    private Entry _last = new(long.MinValue, "");

    public string Format(DateTimeOffset receivedAt)
    {
        var millisecond = receivedAt.UtcTicks / TimeSpan.TicksPerMillisecond;
        var last = Volatile.Read(ref _last);
        if (last.Millisecond == millisecond)
        {
            return last.Text;
        }

        var text = TimestampNormaliser.Format(receivedAt);
        Volatile.Write(ref _last, new Entry(millisecond, text));
        return text;
    }

    private sealed record Entry(long Millisecond, string Text);
}
