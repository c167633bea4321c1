namespace TwitterStream.Simulator.Faults;

/// <summary>Faults to inject; the same shape is bound from configuration and accepted by <c>POST /_sim/faults</c>.</summary>
public sealed class FaultOptions
{
    /// <summary>End the response after this many posts on a connection (0 = never).</summary>
    public int CloseEveryPosts { get; set; }

    /// <summary>Send X's <c>operational-disconnect</c> error object and close after this many posts on a connection (0 = never).</summary>
    public int OperationalDisconnectEveryPosts { get; set; }

    /// <summary>Send nothing at all (no keep-alives) for this many seconds once <see cref="StallAfterPosts"/> posts were sent on a connection.</summary>
    public int StallSeconds { get; set; }

    public int StallAfterPosts { get; set; }

    /// <summary>Answer the next K stream connections with <see cref="RejectStatus"/>.</summary>
    public int RejectConnections { get; set; }

    /// <summary>429 or 503.</summary>
    public int RejectStatus { get; set; } = 503;

    /// <summary>Share (0..1) of lines that are malformed (truncated JSON, wrong types, missing fields, a 1 MiB line, invalid UTF-8).</summary>
    public double MalformedLineRate { get; set; }

    /// <summary>Share (0..1) of posts delivered twice.</summary>
    public double DuplicateRate { get; set; }

    public FaultOptions Clone() => (FaultOptions)MemberwiseClone();
}

internal static class FaultOptionsValidator
{
    public static IEnumerable<string> Validate(FaultOptions f, string prefix)
    {
        if (f.CloseEveryPosts < 0) yield return $"{prefix}CloseEveryPosts must be >= 0 (got {f.CloseEveryPosts}).";
        if (f.OperationalDisconnectEveryPosts < 0)
            yield return $"{prefix}OperationalDisconnectEveryPosts must be >= 0 (got {f.OperationalDisconnectEveryPosts}).";
        if (f.StallSeconds < 0) yield return $"{prefix}StallSeconds must be >= 0 (got {f.StallSeconds}).";
        if (f.StallAfterPosts < 0) yield return $"{prefix}StallAfterPosts must be >= 0 (got {f.StallAfterPosts}).";
        if (f.RejectConnections < 0) yield return $"{prefix}RejectConnections must be >= 0 (got {f.RejectConnections}).";
        if (f.RejectStatus is not (429 or 503)) yield return $"{prefix}RejectStatus must be 429 or 503 (got {f.RejectStatus}).";
        if (!(f.MalformedLineRate is >= 0 and <= 1)) yield return $"{prefix}MalformedLineRate must be between 0 and 1 (got {f.MalformedLineRate}).";
        if (!(f.DuplicateRate is >= 0 and <= 1)) yield return $"{prefix}DuplicateRate must be between 0 and 1 (got {f.DuplicateRate}).";
    }
}
