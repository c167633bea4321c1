namespace TwitterStream.Worker.Pipeline;

internal enum StreamLineKind
{
    /// <summary>A blank line X sends to keep the connection open.</summary>
    KeepAlive,

    /// <summary>A post (<c>data</c> with id, text and created_at).</summary>
    Post,

    /// <summary>An error object such as operational-disconnect or TooManyConnections: the stream should reconnect.</summary>
    StreamError,

    /// <summary>Anything else: counted and logged, never fatal.</summary>
    Invalid,
}

/// <summary>What one stream line turned out to be.</summary>
internal readonly record struct StreamLine(StreamLineKind Kind, Post? Post = null, string? Problem = null)
{
    public static StreamLine KeepAlive { get; } = new(StreamLineKind.KeepAlive);

    public static StreamLine Invalid(string problem) => new(StreamLineKind.Invalid, Problem: problem);
}
