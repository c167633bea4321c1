using System.Text;
using TwitterStream.Worker.Telemetry;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Turns one stream line into counters, a log entry or a buffered post. The parse is synchronous over the line's
/// bytes; only handing a kept post to the buffer may wait (when the buffer is full, which pauses reading).
/// </summary>
internal sealed partial class StreamLineProcessor(
    StreamLineParser parser,
    PostMatcher matcher,
    PostBuffer buffer,
    WorkerMetrics metrics,
    PostBudget budget,
    TimeProvider time,
    ILogger<StreamLineProcessor> logger)
{
    private const int LoggedPrefixLength = 40;

    /// <summary>
    /// Parses the line and counts it. A post this worker keeps comes back in <see cref="StreamLine.Post"/>, to hand to
    /// <see cref="KeepAsync"/>; a post for another worker's tag comes back without it.
    /// </summary>
    public StreamLine Classify(ReadOnlySpan<byte> line)
    {
        var parsed = parser.Parse(line);
        switch (parsed.Kind)
        {
            case StreamLineKind.Post:
                metrics.PostReceived();
                budget.PostReceived();
                if (!matcher.IsKept(parsed.Post!))
                {
                    return parsed with { Post = null };
                }

                metrics.PostKept();
                parsed.Post!.ReceivedAt = time.GetUtcNow();
                parsed.Post.ReceivedTimestamp = time.GetTimestamp();
                return parsed;

            case StreamLineKind.Invalid:
                metrics.LineRejected();
                LogRejected(logger, parsed.Problem!, line.Length, Prefix(line, LoggedPrefixLength));
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    LogRejectedText(logger, Encoding.UTF8.GetString(line));
                }

                return parsed;

            case StreamLineKind.StreamError:
                LogStreamError(logger, Prefix(line, 300));
                return parsed;

            default:
                return parsed;
        }
    }

    /// <summary>Buffers a kept post. Not cancellable on purpose: a post accepted from the stream is never dropped.</summary>
    public ValueTask KeepAsync(Post post) => buffer.AddAsync(post, CancellationToken.None);

    private static string Prefix(ReadOnlySpan<byte> line, int length)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, length)]);
        return text.ReplaceLineEndings(" ");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a stream line: {Problem} ({Length} bytes, starts {Prefix})")]
    private static partial void LogRejected(ILogger logger, string problem, int length, string prefix);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected line text: {Line}")]
    private static partial void LogRejectedText(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stream sent an error object, reconnecting: {Message}")]
    private static partial void LogStreamError(ILogger logger, string message);
}
